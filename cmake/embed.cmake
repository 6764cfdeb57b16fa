# hc_embed_files(module symbol glob): compile the files matching glob into the module as a table
#   const hc_embedded_file <symbol>[]; const size_t <symbol>_count;
# so that the binary carries its data (schemas, web pages) and needs no files at run time.
function(hc_embed_files module symbol pattern)
    file(GLOB _files CONFIGURE_DEPENDS ${pattern})
    list(SORT _files)
    set(_out ${CMAKE_CURRENT_BINARY_DIR}/generated/${module}/${symbol}.c)
    string(REPLACE ";" "|" _joined "${_files}")
    add_custom_command(OUTPUT ${_out}
        COMMAND ${CMAKE_COMMAND} -DOUT=${_out} -DSYMBOL=${symbol} "-DFILES=${_joined}"
                -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_run.cmake
        DEPENDS ${_files} ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_run.cmake
        COMMENT "Embedding ${symbol}" VERBATIM)
    target_sources(hc_${module} PRIVATE ${_out})
endfunction()
