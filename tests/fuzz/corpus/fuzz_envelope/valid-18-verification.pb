
DEMO-L-3š:
accion-correctiva	AC-DEMO-1
2026-11-30 2analista.uad