# Warning and sanitizer flags for our own targets only (linked PRIVATE, never inherited).
add_library(whitezone_warnings INTERFACE)
target_compile_options(whitezone_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wnon-virtual-dtor -Woverloaded-virtual)
if(WHITEZONE_WERROR)
    target_compile_options(whitezone_warnings INTERFACE -Werror)
endif()
if(WHITEZONE_SANITIZE)
    target_compile_options(whitezone_warnings INTERFACE
        -fsanitize=${WHITEZONE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(whitezone_warnings INTERFACE -fsanitize=${WHITEZONE_SANITIZE})
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12)
    # GCC 12 reports -Wrestrict inside std::string concatenation at -O2 (GCC bug 105651).
    target_compile_options(whitezone_warnings INTERFACE -Wno-restrict)
endif()
