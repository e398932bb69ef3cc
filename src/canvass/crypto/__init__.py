"""Keys and signatures: device Ed25519 and age identities. No Qt, no database.

Filled by the sync issue; the layer exists now so the import contracts cover it.
"""
