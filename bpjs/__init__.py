"""BPJS Kesehatan bridging: the SRB from VClaim, control visits to PCare, PRB claims to Apotek Online.

``client`` speaks the protocol only; ``services`` turn PRB records into payloads and
back; the outboxes (``models``) carry what must reach BPJS (see ``interop``).
docs/bpjs.md says how to configure each service and what happens when BPJS is down.
"""
