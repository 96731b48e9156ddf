# package.cmake — owns the Debian package of the MOT pipeline: what is
# installed where (binaries, the editable data files as conffiles under
# /etc/mot, the Redis configuration, the systemd units made from
# deploy/systemd/service.in) and CPack's DEB settings. Included by the top
# CMakeLists.txt with -DMOT_PACKAGE=ON, which also makes the binaries'
# data-file defaults the installed files (/etc/mot/…) and leaves the tests
# out; deploy/debian/build.sh runs that build with Debian's hardening flags,
# then cpack (tests/e2e/test_package.sh does).

set(MOT_PKG_SRC ${CMAKE_SOURCE_DIR}/deploy)
set(MOT_PKG_OUT ${CMAKE_BINARY_DIR}/debian)
set(MOT_UNIT_DIR /lib/systemd/system)

# --- binaries: the daemons in /usr/sbin, the operators' tool in /usr/bin
install(TARGETS mot-intake mot-classifier mot-deadline-watcher mot-notifier mot-reporter mot-proxy
        RUNTIME DESTINATION sbin)
install(TARGETS motctl RUNTIME DESTINATION bin)
# Stripped as dh_strip does (the symbols and the compiler banners of the
# C runtime's objects, .comment and .note, which CPack's strip keeps).
install(CODE "
  foreach(binary sbin/mot-intake sbin/mot-classifier sbin/mot-deadline-watcher sbin/mot-notifier
                 sbin/mot-reporter sbin/mot-proxy bin/motctl)
    execute_process(COMMAND ${CMAKE_STRIP} --remove-section=.comment --remove-section=.note
                            \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/\${binary} COMMAND_ERROR_IS_FATAL ANY)
  endforeach()")
install(PROGRAMS ${MOT_PKG_SRC}/redis/make-acl.sh ${MOT_PKG_SRC}/redis/backup.sh ${MOT_PKG_SRC}/redis/restore.sh
                 ${MOT_PKG_SRC}/redis/ha-conf.sh ${MOT_PKG_SRC}/debian/mot-setup DESTINATION lib/mot)

# --- /etc/mot: every file here is a conffile (dpkg keeps the operator's edits)
set(MOT_CONFFILES "")
function(mot_conffiles subdir)
  foreach(file ${ARGN})
    get_filename_component(name ${file} NAME)
    install(FILES ${file} DESTINATION /etc/mot/${subdir} PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    string(REGEX REPLACE "/$" "" dir "/etc/mot/${subdir}")
    list(APPEND MOT_CONFFILES "${dir}/${name}")
  endforeach()
  set(MOT_CONFFILES ${MOT_CONFFILES} PARENT_SCOPE)
endfunction()
mot_conffiles("" ${MOT_PKG_SRC}/obligations.tsv ${MOT_PKG_SRC}/escalation.tsv
              ${MOT_PKG_SRC}/accounts.example.tsv)
mot_conffiles(calendar ${MOT_PKG_SRC}/calendar/dias-inhabiles.tsv)
mot_conffiles(catalog ${MOT_PKG_SRC}/catalog/territories.tsv ${MOT_PKG_SRC}/catalog/on.tsv)
file(GLOB MOT_PKG_RULES ${MOT_PKG_SRC}/rules/*.tsv)
mot_conffiles(rules ${MOT_PKG_RULES})
mot_conffiles(redis ${MOT_PKG_SRC}/redis/redis.conf ${MOT_PKG_SRC}/redis/users.acl ${MOT_PKG_SRC}/redis/sentinel.acl)
file(GLOB MOT_PKG_ENV ${MOT_PKG_SRC}/systemd/env/*.env)
mot_conffiles("" ${MOT_PKG_ENV})

# --- systemd units: one per service from deploy/systemd/service.in
# mot_unit(UNIT BINARY IDENTIFIER DESCRIPTION ENVIRONMENT EXTRA): ENVIRONMENT
# lists the unit's lines after EnvironmentFile=/etc/mot/mot.env: files read
# in order (EnvironmentFile=, optional ones with '-') and defaults
# (Environment=, which every file overrides, whatever the order).
function(mot_unit unit binary identifier description environment extra)
  set(UNIT ${unit})
  set(BINARY ${binary})
  set(IDENTIFIER ${identifier})
  set(DESCRIPTION ${description})
  set(UNIT_EXTRA ${extra})
  set(ENVIRONMENT "EnvironmentFile=/etc/mot/mot.env")
  foreach(line ${environment})
    string(APPEND ENVIRONMENT "\n${line}")
  endforeach()
  configure_file(${MOT_PKG_SRC}/systemd/service.in ${MOT_PKG_OUT}/units/${unit} @ONLY)
  install(FILES ${MOT_PKG_OUT}/units/${unit} DESTINATION ${MOT_UNIT_DIR})
endfunction()

mot_unit(mot-intake.service mot-intake mot-intake "intake (validates, stores, acknowledges)"
         "EnvironmentFile=-/etc/mot/intake.env" "")
# The intakes behind mot-proxy (README "Several intakes behind one
# address"): they connect to the proxy's default ports, which bind the
# usual addresses in their stead (/etc/mot/intake@N.env may move them).
# Each instance of a templated unit gets a metrics port of its own, the
# instance number after a prefix (a second instance on the default port
# would not start): intake@N 560N, classifier@N 558N, deadline-watcher@N
# 559N (N = 1..99; 12 gives 55812); /etc/mot/<service>@N.env may set another.
mot_unit(mot-intake@.service mot-intake mot-intake@%i "intake %i behind mot-proxy"
         "Environment=MOT_INTAKE_INGRESS=>tcp://127.0.0.1:5560;Environment=MOT_INTAKE_CLASSIFY=>tcp://127.0.0.1:5561;Environment=MOT_INTAKE_WATCH=>tcp://127.0.0.1:5562;Environment=MOT_METRICS=127.0.0.1:560%i;EnvironmentFile=-/etc/mot/intake@%i.env"
         "Wants=mot-proxy.service\nAfter=mot-proxy.service\n")
mot_unit(mot-classifier@.service mot-classifier mot-classifier@%i "classifier %i"
         "Environment=MOT_METRICS=127.0.0.1:558%i;EnvironmentFile=-/etc/mot/classifier.env;EnvironmentFile=-/etc/mot/classifier@%i.env" "")
mot_unit(mot-deadline-watcher@.service mot-deadline-watcher mot-deadline-watcher@%i "deadline-watcher %i"
         "Environment=MOT_METRICS=127.0.0.1:559%i;EnvironmentFile=-/etc/mot/deadline-watcher.env;EnvironmentFile=-/etc/mot/deadline-watcher@%i.env" "")
mot_unit(mot-notifier.service mot-notifier mot-notifier "notifier (publishes the notices)"
         "EnvironmentFile=-/etc/mot/notifier.env" "")
mot_unit(mot-reporter.service mot-reporter mot-reporter "reporter (registers, dashboard, reports)"
         "EnvironmentFile=-/etc/mot/reporter.env" "")
mot_unit(mot-proxy.service mot-proxy mot-proxy "proxy (one address in front of several intakes)"
         "EnvironmentFile=-/etc/mot/proxy.env" "Conflicts=mot-intake.service\n")
install(FILES ${MOT_PKG_SRC}/systemd/mot-redis.service ${MOT_PKG_SRC}/systemd/mot.target
        DESTINATION ${MOT_UNIT_DIR})

# --- documentation: man pages from each binary's --help (help2man), the
# README, the changelog; lintian's overrides (each explained in the file)
find_program(HELP2MAN help2man REQUIRED)
set(MOT_PKG_DOCS "")
# mot_man_page(TARGET SECTION SUMMARY): TARGET.SECTION.gz from `TARGET --help`.
function(mot_man_page target section summary)
  set(page ${MOT_PKG_OUT}/man/${target}.${section}.gz)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${MOT_PKG_OUT}/man
    COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=${section} --name=${summary}
            --version-string=${PROJECT_VERSION} $<TARGET_FILE:${target}> | gzip -9n > ${page}
    DEPENDS ${target} VERBATIM)
  install(FILES ${page} DESTINATION share/man/man${section})
  set(MOT_PKG_DOCS ${MOT_PKG_DOCS} ${page} PARENT_SCOPE)
endfunction()
mot_man_page(mot-intake 8 "MOT pipeline: validates, stores and acknowledges events")
mot_man_page(mot-classifier 8 "MOT pipeline: classifies and scores events into items")
mot_man_page(mot-deadline-watcher 8 "MOT pipeline: report obligations, deadlines and their timers")
mot_man_page(mot-notifier 8 "MOT pipeline: publishes the notices")
mot_man_page(mot-reporter 8 "MOT pipeline: registers, dashboard and monthly reports")
mot_man_page(mot-proxy 8 "MOT pipeline: one address in front of several intakes")
mot_man_page(motctl 1 "MOT pipeline: the operators' command")

set(MOT_PACKAGE_MAINTAINER "MOT developers <mot@localhost>" CACHE STRING
    "the package's Maintainer field and changelog signature")
configure_file(${MOT_PKG_SRC}/debian/changelog.Debian.in ${MOT_PKG_OUT}/changelog.Debian @ONLY)
add_custom_command(OUTPUT ${MOT_PKG_OUT}/changelog.Debian.gz
  COMMAND gzip -9nc ${MOT_PKG_OUT}/changelog.Debian > ${MOT_PKG_OUT}/changelog.Debian.gz
  DEPENDS ${MOT_PKG_OUT}/changelog.Debian)
add_custom_command(OUTPUT ${MOT_PKG_OUT}/README.md.gz
  COMMAND gzip -9nc ${CMAKE_SOURCE_DIR}/README.md > ${MOT_PKG_OUT}/README.md.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/README.md)
add_custom_target(mot_package_docs ALL DEPENDS ${MOT_PKG_DOCS} ${MOT_PKG_OUT}/changelog.Debian.gz
                  ${MOT_PKG_OUT}/README.md.gz)
install(FILES ${MOT_PKG_SRC}/debian/copyright ${MOT_PKG_OUT}/changelog.Debian.gz ${MOT_PKG_OUT}/README.md.gz
        DESTINATION share/doc/mot)
install(FILES ${MOT_PKG_SRC}/debian/lintian-overrides DESTINATION share/lintian/overrides RENAME mot)

# --- the maintainer scripts and the conffiles list
string(REPLACE ";" "\n" MOT_CONFFILES_TEXT "${MOT_CONFFILES}")
file(WRITE ${MOT_PKG_OUT}/conffiles "${MOT_CONFFILES_TEXT}\n")
foreach(script postinst prerm postrm)
  file(COPY ${MOT_PKG_SRC}/debian/${script} DESTINATION ${MOT_PKG_OUT}
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()

# --- CPack
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "${MOT_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MOT_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "IMSS MOT pipeline: risks and report deadlines")
set(CPACK_PACKAGE_DESCRIPTION "Small C services that take every operational problem and risk of the
IMSS's Modelo de Operacion Territorial through its four stages and watch the
report deadlines of the norm in Mexican business days: mot-intake,
mot-classifier, mot-deadline-watcher, mot-notifier, mot-reporter, mot-proxy
and the motctl command, with their systemd units (mot.target), the data files
under /etc/mot and a Redis of their own (mot-redis.service).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# redis-server: mot-redis.service runs its binary; adduser: postinst.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "redis-server (>= 5:7.0), adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${MOT_PKG_OUT}/conffiles ${MOT_PKG_OUT}/postinst ${MOT_PKG_OUT}/prerm ${MOT_PKG_OUT}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
