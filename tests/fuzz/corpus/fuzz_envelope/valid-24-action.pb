
A-1Š7
AC-2026-001accion-correctiva
2026-11-10"$item*DA