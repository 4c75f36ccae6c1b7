"""sync: the wire protocol (`sync.protocol`, pure) and the sync engine (`sync.client`)
that moves the device's outbox and catalog (the `device` package) over the network.

`sync.protocol.ProtocolError` is the root of this package's errors; the client's
`sync.client.errors.SyncError` derives from it.
"""
