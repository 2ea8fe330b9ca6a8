// The environment of the data tests: variables as node or the shell sets them, and files.
#pragma once

#include <string>

namespace genlab::test {

// The value of an environment variable, or "" when unset (under Emscripten, node's own
// environment: Emscripten's getenv sees a fixed made-up one).
std::string env(const char* name);
bool file_exists(const std::string& path);

}  // namespace genlab::test
