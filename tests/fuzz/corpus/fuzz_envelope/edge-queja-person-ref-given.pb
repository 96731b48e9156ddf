
q-1R5
OOAD-01Trato
2026-01-05:p-given-by-the-upstream