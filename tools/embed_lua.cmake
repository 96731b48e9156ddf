# embed_lua.cmake — turns a Lua script into a C header holding it as a string
# constant, so scripts live in .lua files (readable, and runnable by
# redis-cli/redis-benchmark) and are compiled into the service. The header
# defines both a string literal macro (<NAME>_TEXT, upper case, for joining
# scripts at compile time) and a pointer <name> to it.
#   cmake -DIN=accept.lua -DOUT=accept_lua.h -DNAME=accept_lua -P embed_lua.cmake
file(READ "${IN}" text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\n" "\\n\" \\\n    \"" text "${text}")
string(TOUPPER "${NAME}_TEXT" macro)
file(WRITE "${OUT}" "/* Generated from ${IN} by tools/embed_lua.cmake; do not edit. */\n#define ${macro} \\\n    \"${text}\"\nstatic const char *${NAME} __attribute__ ((unused)) = ${macro};\n")
