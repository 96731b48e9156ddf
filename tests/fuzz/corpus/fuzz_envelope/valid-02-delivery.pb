
ENT-UCS-2026-0009rA
temas-mediaticos2026-09
2026-10-06"Oficio DOE/UCS/2026/0486