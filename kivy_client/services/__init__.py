"""Platform services of the tablet app (camera, QR decode, photo pipeline); no window needed."""
