
ENT-UAD-2026-0008rA
quejas-gestiones2026-08
2026-09-14"Oficio DOE/UAD/2026/0