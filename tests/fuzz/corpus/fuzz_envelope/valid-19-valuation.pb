
DEMO-L-4²&
ITEM *
2026-12-012analista.uad