// The check the session import tests share: a file Session::import_safetensors must refuse, with
// a message containing `part`, leaving a session that holds another trained model as it was.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/session.hpp"
#include "io/tiny_config.hpp"

namespace genlab::test {

inline void import_refused(const std::vector<std::uint8_t>& file, const std::string& part) {
  Session b;
  b.configure(tiny_config("vae", 2));
  b.train(3);
  const Tensor2 keep = b.samples(8);
  try {
    b.import_safetensors(file.data(), file.size());
    FAIL_CHECK("accepted a file it should refuse (expected: " << part << ")");
  } catch (const std::exception& e) {
    CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos, e.what());
  }
  CHECK(b.config().model == "vae");
  CHECK(b.steps() == 3);
  const Tensor2 now = b.samples(8);
  CHECK((now.shape() == keep.shape() && std::equal(now.begin(), now.end(), keep.begin())));
}

}  // namespace genlab::test
