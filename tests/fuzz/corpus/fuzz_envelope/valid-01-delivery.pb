
ENT-UCS-2026-0008rA
temas-mediaticos2026-08
2026-09-17"Oficio DOE/UCS/2026/0417