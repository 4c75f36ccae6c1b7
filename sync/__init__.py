"""sync: the wire protocol (`sync.protocol`, pure) and the device engine (`sync.client`).

`sync.protocol.ProtocolError` is the root of this package's errors; the client's
`sync.client.errors.SyncError` derives from it.
"""
