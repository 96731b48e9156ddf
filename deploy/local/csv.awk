# csv.awk — reads the reporter's CSV (RFC 4180: quoted fields may hold commas
# and doubled quotes; not fields spanning lines) and prints the columns named
# in `cols` (comma-separated header names), separated by `sep` (default TAB).
# With `keycol` and `key`, prints only the first row whose keycol equals key.
#   awk -v cols=id,territorio,cuadrante -f csv.awk mupoi.csv
#   awk -v cols=eventos -v keycol=territorio -v key=OOAD-09 -f csv.awk mupoi.csv
function split_csv(line, out,   n, i, c, field, quoted) {
  n = 0; field = ""; quoted = 0
  for (i = 1; i <= length(line); i++) {
    c = substr(line, i, 1)
    if (quoted) {
      if (c == "\"" && substr(line, i + 1, 1) == "\"") { field = field c; i++ }
      else if (c == "\"") quoted = 0
      else field = field c
    } else if (c == "\"") quoted = 1
    else if (c == ",") { out[++n] = field; field = "" }
    else field = field c
  }
  out[++n] = field
  return n
}
BEGIN { if (sep == "") sep = "\t"; wanted = split(cols, names, ",") }
{ sub(/\r$/, ""); n = split_csv($0, f) }
NR == 1 {
  for (i = 1; i <= n; i++) idx[f[i]] = i
  if (keycol != "") next
}
keycol != "" && f[idx[keycol]] != key { next }
{
  line = ""
  for (i = 1; i <= wanted; i++) line = line (i > 1 ? sep : "") f[idx[names[i]]]
  print line
  if (keycol != "") exit
}
