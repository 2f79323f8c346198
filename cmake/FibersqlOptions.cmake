# One place for warnings and sanitizers, applied to every target of the project.
function(fibersql_set_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(FIBERSQL_SANITIZE)
    # Boost.Context's fcontext switches stacks behind ASan's back; its ucontext flavour
    # announces every switch (__sanitizer_start_switch_fiber), so sanitized builds use it.
    target_compile_definitions(${target} PUBLIC BOOST_USE_UCONTEXT BOOST_USE_ASAN)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer
                                              -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()
