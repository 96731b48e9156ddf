
A-2Š$
AG-7acuerdo
2026-11-12*OOAD-30