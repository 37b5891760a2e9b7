# Every target in the tree compiles with the same warnings; the code is kept warning-free.
add_compile_options(-Wall -Wextra -Wpedantic -Wno-unused-parameter)
