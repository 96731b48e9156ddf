# embed_lua.cmake — the one way a Lua script gets into a service: the
# script's prelude (printed by mot-lua-prelude from common/mot_schema.h and
# common/mot_scripts.h: field names and the script's KEYS/ARGV layout), the
# Lua libraries it names on "-- uses: <path from the source root>" lines,
# then the script itself, written out as
#   <OUT_DIR>/<NAME>.lua     the assembled script (what Redis runs; tests and
#                            redis-cli can load it as it is)
#   <OUT_DIR>/<NAME>_lua.h   a C header holding it as a string constant
#                            `static const char *<NAME>_lua`
#   cmake -DIN=fire.lua -DNAME=fire -DOUT_DIR=… -DPRELUDE=…/mot-lua-prelude
#         -DSOURCE_ROOT=… -P embed_lua.cmake
execute_process(COMMAND "${PRELUDE}" "${NAME}" OUTPUT_VARIABLE prelude RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "mot-lua-prelude ${NAME} failed: the script needs a layout in common/mot_scripts.h")
endif()
file(READ "${IN}" body)
set(text "${prelude}")
file(STRINGS "${IN}" uses REGEX "^-- uses: ")
foreach(line ${uses})
  string(REGEX REPLACE "^-- uses: *" "" lib "${line}")
  file(READ "${SOURCE_ROOT}/${lib}" lib_text)
  string(APPEND text "-- from ${lib}\n${lib_text}")
endforeach()
string(APPEND text "-- from ${IN}\n${body}")
file(WRITE "${OUT_DIR}/${NAME}.lua" "${text}")
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\n" "\\n\" \\\n    \"" text "${text}")
file(WRITE "${OUT_DIR}/${NAME}_lua.h"
  "/* Generated from ${IN} by tools/embed_lua.cmake; do not edit. */\n"
  "static const char *${NAME}_lua __attribute__ ((unused)) = \\\n    \"${text}\";\n")
