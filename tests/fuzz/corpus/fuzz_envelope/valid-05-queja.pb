
SIQ-2026-0001863R�
OOAD-16Diferimiento quirúrgico
2026-08-07"MCirugía de vesícula diferida en tres ocasiones por falta de anestesiólogo.*HGR 7224
16928374657CRUA750120HMCRZL09Alberto Cruz Ruiz