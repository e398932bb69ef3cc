"""Documents: ReportLab builders, one shared stylesheet, pyHanko signing. No Qt, no database.

Filled by the walk-sheet, petition and leaflet issues; the layer exists now so the
import contracts cover it.
"""
