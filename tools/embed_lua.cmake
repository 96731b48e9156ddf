# embed_lua.cmake — the one way a Lua script gets into a service: the
# script's prelude (printed by mot-lua-prelude from common/mot_schema.h and
# common/mot_scripts.h: field names and the script's KEYS/ARGV layout, each
# name replaced by its value where the code uses it), the Lua libraries it
# names on
# "-- uses: <path from the source root>" lines, then the script itself,
# written out as
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
set(code "")
file(STRINGS "${IN}" uses REGEX "^-- uses: ")
foreach(line ${uses})
  string(REGEX REPLACE "^-- uses: *" "" lib "${line}")
  file(READ "${SOURCE_ROOT}/${lib}" lib_text)
  string(APPEND code "-- from ${lib}\n${lib_text}")
endforeach()
string(APPEND code "-- from ${IN}\n${body}")
# Each name of the prelude ("local NAME = value") is replaced in the code by
# its value (a number or a quoted string), as a preprocessor would: the
# chunk then needs no local for them (Lua allows a function 200). A name
# after a "." is a table field, not replaced.
string(REPLACE "\n" ";" lines "${prelude}")
set(text "")
foreach(line IN LISTS lines)
  if(line MATCHES "^local ([A-Za-z0-9_]+) = (.*)$")
    set(name "${CMAKE_MATCH_1}")
    set(value "${CMAKE_MATCH_2}")
    if(code MATCHES "[^A-Za-z0-9_.]${name}[^A-Za-z0-9_]")
      foreach(pass 1 2)   # twice: adjacent uses share the character between them
        string(REGEX REPLACE "([^A-Za-z0-9_.])${name}([^A-Za-z0-9_])" "\\1${value}\\2" code "${code}")
      endforeach()
    endif()
  elseif(NOT line STREQUAL "")
    string(APPEND text "${line}\n")
  endif()
endforeach()
string(APPEND text "${code}")
file(WRITE "${OUT_DIR}/${NAME}.lua" "${text}")
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\n" "\\n\" \\\n    \"" text "${text}")
file(WRITE "${OUT_DIR}/${NAME}_lua.h"
  "/* Generated from ${IN} by tools/embed_lua.cmake; do not edit. */\n"
  "static const char *${NAME}_lua __attribute__ ((unused)) = \\\n    \"${text}\";\n")
