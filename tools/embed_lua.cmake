# embed_lua.cmake — turns a Lua script into a C header holding it as a string
# constant, so scripts live in .lua files (readable, and runnable by
# redis-cli/redis-benchmark) and are compiled into the service.
#   cmake -DIN=accept.lua -DOUT=accept_lua.h -DNAME=accept_lua -P embed_lua.cmake
file(READ "${IN}" text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
file(WRITE "${OUT}" "/* Generated from ${IN} by tools/embed_lua.cmake; do not edit. */\nstatic const char *${NAME} =\n    \"${text}\";\n")
