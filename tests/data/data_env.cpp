#include "data/data_env.hpp"

#include <cstdlib>
#include <fstream>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
EM_JS(int, genlab_node_getenv, (const char* name, char* buf, int cap), {
  if (typeof process === 'undefined' || !process.env) return -1;
  var v = process.env[UTF8ToString(name)];
  if (v === undefined) return -1;
  stringToUTF8(v, buf, cap);
  return lengthBytesUTF8(v);
});
#endif

namespace genlab::test {

std::string env(const char* name) {
#ifdef __EMSCRIPTEN__
  char buf[4096];
  const int n = genlab_node_getenv(name, buf, static_cast<int>(sizeof buf));
  return n < 0 || n >= static_cast<int>(sizeof buf) ? std::string() : std::string(buf);
#else
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
#endif
}

bool file_exists(const std::string& path) { return std::ifstream(path, std::ios::binary).good(); }

}  // namespace genlab::test
