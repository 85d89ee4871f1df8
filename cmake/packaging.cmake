# SPDX-License-Identifier: Apache-2.0
# Installation layout and the Debian package (`cpack -G DEB` in the build directory).
#
# The package installs under /usr (CPACK_PACKAGING_INSTALL_PREFIX); the config goes to
# /etc/certvigil as a dpkg conffile. Maintainer scripts (packaging/deb/) create the system user
# with systemd-sysusers, the directories with systemd-tmpfiles, and reload systemd.
# scripts/package-test.sh builds, installs, runs and purges the package.
#
# Destinations come from GNUInstallDirs (included by the top-level CMakeLists.txt) and are
# relative to the prefix, except the config. systemd's directories are not GNU ones: they are
# cache variables of their own, under lib/ (never the multiarch CMAKE_INSTALL_LIBDIR).
set(CERTVIGIL_INSTALL_SYSTEMDUNITDIR lib/systemd/system
    CACHE STRING "systemd system units, relative to the prefix")
set(CERTVIGIL_INSTALL_SYSUSERSDIR lib/sysusers.d CACHE STRING "sysusers.d, relative to the prefix")
set(CERTVIGIL_INSTALL_TMPFILESDIR lib/tmpfiles.d CACHE STRING "tmpfiles.d, relative to the prefix")
# The config lives where the unit's ExecStart and packaging/deb/conffiles expect it, under /etc
# whatever the prefix: GNUInstallDirs' CMAKE_INSTALL_FULL_SYSCONFDIR is /etc only for the prefix
# /usr, and cpack installs into /usr a tree configured for /usr/local.
set(CERTVIGIL_INSTALL_CONFDIR /${CMAKE_INSTALL_SYSCONFDIR}/certvigil
    CACHE PATH "Directory of certvigil.yaml (absolute)")

# Man pages are compressed at build time (gzip -n: no name or time stamp, so the package is
# reproducible), as Debian policy wants them installed.
set(CERTVIGIL_MAN_PAGES docs/man/certvigil.1 docs/man/certvigil.yaml.5)
set(certvigil_man_outputs)
foreach(page ${CERTVIGIL_MAN_PAGES})
  get_filename_component(name ${page} NAME)
  set(out ${PROJECT_BINARY_DIR}/man/${name}.gz)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND gzip -9 -n -c ${PROJECT_SOURCE_DIR}/${page} > ${out}
    DEPENDS ${PROJECT_SOURCE_DIR}/${page}
    COMMENT "Compressing ${name}")
  list(APPEND certvigil_man_outputs ${out})
  string(REGEX MATCH "[0-9]$" section ${name})
  install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(certvigil_man ALL DEPENDS ${certvigil_man_outputs})

# systemd: the unit, the system user and the directories.
install(FILES systemd/certvigil.service DESTINATION ${CERTVIGIL_INSTALL_SYSTEMDUNITDIR})
install(FILES systemd/certvigil.sysusers DESTINATION ${CERTVIGIL_INSTALL_SYSUSERSDIR}
        RENAME certvigil.conf)
install(FILES systemd/certvigil.tmpfiles DESTINATION ${CERTVIGIL_INSTALL_TMPFILESDIR}
        RENAME certvigil.conf)

# The commented configuration, a conffile (listed in packaging/deb/conffiles).
install(FILES etc/certvigil.packaged.yaml DESTINATION ${CERTVIGIL_INSTALL_CONFDIR}
        RENAME certvigil.yaml)

# Debian's copyright file (machine-readable, Apache-2.0) and changelog.Debian.gz, compressed
# like the man pages. The changelog's newest entry must name the version being packaged.
set(CERTVIGIL_DEBIAN_RELEASE 1)
file(STRINGS packaging/deb/changelog certvigil_changelog_head LIMIT_COUNT 1)
if(NOT certvigil_changelog_head MATCHES "^certvigil \\(${PROJECT_VERSION}-${CERTVIGIL_DEBIAN_RELEASE}\\) ")
  message(FATAL_ERROR "packaging/deb/changelog starts with '${certvigil_changelog_head}', not "
                      "certvigil (${PROJECT_VERSION}-${CERTVIGIL_DEBIAN_RELEASE})")
endif()
set(certvigil_changelog ${PROJECT_BINARY_DIR}/deb/changelog.Debian.gz)
add_custom_command(OUTPUT ${certvigil_changelog}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/deb
  COMMAND gzip -9 -n -c ${PROJECT_SOURCE_DIR}/packaging/deb/changelog > ${certvigil_changelog}
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/deb/changelog
  COMMENT "Compressing changelog.Debian")
add_custom_target(certvigil_changelog ALL DEPENDS ${certvigil_changelog})
install(FILES ${certvigil_changelog} packaging/deb/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES packaging/deb/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME certvigil)

# Documentation and the ecosystem files (Prometheus rules, Grafana dashboard).
install(FILES README.md docs/CONFIGURATION.md docs/METRICS.md docs/FINDINGS.md
              docs/ARCHITECTURE.md docs/SCALING.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
foreach(optional_doc docs/API.md)
  if(EXISTS ${PROJECT_SOURCE_DIR}/${optional_doc})
    install(FILES ${optional_doc} DESTINATION ${CMAKE_INSTALL_DOCDIR})
  endif()
endforeach()
install(FILES etc/certvigil.example.yaml etc/prometheus/certvigil-rules.yml
              etc/grafana/certvigil-dashboard.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME certvigil)
set(CPACK_PACKAGE_VENDOR certvigil)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT
    "certvigil maintainers <maintainers@users.noreply.h-seed-9b74cb89.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "certificate expiry and mTLS monitoring daemon")
# Lines of at most 80 characters (lintian: extended-description-line-too-long).
set(CPACK_PACKAGE_DESCRIPTION
    "certvigil watches TLS endpoints, certificate files and client CA bundles, and\n\
tells operators before something expires or breaks, and why an mTLS handshake\n\
fails. It runs as a hardened systemd service, keeps its state in SQLite, serves\n\
Prometheus metrics, a status page and a JSON API, and sends alerts to webhooks,\n\
Slack and Alertmanager.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CERTVIGIL_DEBIAN_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps finds the shared libraries (libssl3, libsqlite3, ...); the maintainer scripts
# need systemd-sysusers, systemd-tmpfiles and deb-systemd-helper/-invoke. libcurl is loaded with
# dlopen at the first request (alerts/curl_library.h), so dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "systemd (>= 247), init-system-helpers (>= 1.54~), libcurl4 (>= 7.84)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus, prometheus-alertmanager")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/deb/conffiles ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
    ${PROJECT_SOURCE_DIR}/packaging/deb/prerm ${PROJECT_SOURCE_DIR}/packaging/deb/postrm)
include(CPack)
