"""The vis-network backend: a page's data (``scene``) and the HTML around it (``document``).

Only this backend imports pyvis, for the vis-network build and physics settings it ships.
"""
