# Installs the library, its public headers, the command-line program and a CMake package, so
# that an outside project does find_package(whitezone) and links whitezone::whitezone
# (examples/consumer does exactly that).
include(CMakePackageConfigHelpers)

set(WHITEZONE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/whitezone)

install(TARGETS whitezone_lib EXPORT whitezoneTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/whitezone DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.hpp")
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/include/whitezone/version.hpp
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/whitezone)

# The program finds the library beside it, wherever the prefix is moved.
set_target_properties(whitezone PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
install(TARGETS whitezone RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT whitezoneTargets NAMESPACE whitezone:: DESTINATION ${WHITEZONE_CMAKE_DIR})
configure_package_config_file(cmake/whitezoneConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/whitezoneConfig.cmake
    INSTALL_DESTINATION ${WHITEZONE_CMAKE_DIR})
# 0.x: only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/whitezoneConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/whitezoneConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/whitezoneConfigVersion.cmake
    DESTINATION ${WHITEZONE_CMAKE_DIR})
