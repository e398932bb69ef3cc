"""Council electoral register files: layouts, encodings, row validation. No Qt, no database.

Filled by the register-import issue; the layer exists now so the import contracts cover it.
"""
