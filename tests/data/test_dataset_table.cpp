// The parser of datasets.txt (data::detail::parse_dataset_table): a well-formed table gives the
// entries it lists; every malformed line is an std::invalid_argument naming its line and the rule.
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "genlab/data/datasets.hpp"

using namespace genlab;
using genlab::detail::parse_dataset_table;

namespace {

const char* const kGood =
    "# a comment line, then a blank one\n"
    "\n"
    "dataset | ring8   | toy2d  |    |       | Eight in a ring   # trailing comment\n"
    "dataset|moons|toy2d|||Two moons\n"
    "dataset | points  | points |    |       | Your points\n"
    "   dataset | digits12 | image | 12 | mnist | Digits 12×12\r\n"
    "dataset | shapes3 | image  | 3  | shapes | Shapes\n"
    "classes | mnist  | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9\n"
    "classes | shapes | T-shirt/top | Ankle boot\n";

// Expects the table to be rejected with a message naming `line` and containing `part`.
void rejected(const std::string& table, int line, const std::string& part) {
  INFO(table);
  try {
    parse_dataset_table(table);
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    if (line > 0)
      CHECK_MESSAGE(msg.find("line " + std::to_string(line) + ":") != std::string::npos,
                    "\"" << msg << "\" does not name line " << line);
    CHECK_MESSAGE(msg.find(part) != std::string::npos, "\"" << msg << "\" lacks \"" << part << "\"");
    return;
  }
  FAIL_CHECK("accepted a malformed table (expected: " << part << ")");
}

}  // namespace

TEST_CASE("a well-formed table parses into its entries, in order") {
  const std::vector<DatasetInfo> sets = parse_dataset_table(kGood);
  REQUIRE(sets.size() == 5);
  CHECK(sets[0].name == "ring8");
  CHECK(sets[0].kind == DataKind::Toy2d);
  CHECK(sets[0].title == "Eight in a ring");  // the comment is not part of the title
  CHECK(sets[0].dim == 2);
  CHECK(sets[0].side == 0);
  CHECK(sets[0].has_modes);                    // a mixture with known modes
  CHECK(sets[1].name == "moons");              // spaces around '|' are optional
  CHECK_FALSE(sets[1].has_modes);
  CHECK(sets[2].kind == DataKind::Points);
  CHECK(sets[2].dim == 2);
  CHECK_FALSE(sets[2].image());
  CHECK(sets[3].name == "digits12");
  CHECK(sets[3].image());
  CHECK(sets[3].side == 12);
  CHECK(sets[3].dim == 144);
  CHECK(sets[3].source == "mnist");
  CHECK(sets[3].title == "Digits 12×12");      // \r of a CRLF line trimmed
  REQUIRE(sets[3].class_names.size() == 10);
  CHECK(sets[3].class_names[7] == "7");
  CHECK(sets[4].dim == 9);
  CHECK(sets[4].class_names == std::vector<std::string>{"T-shirt/top", "Ankle boot"});
  CHECK(parse_dataset_table("").empty());
  CHECK(parse_dataset_table("# nothing\n\n   \n").empty());
}

TEST_CASE("the compiled-in table is the one the registry serves") {
  const std::vector<DatasetInfo> sets = parse_dataset_table(detail::kDatasetTable);
  REQUIRE(sets.size() == datasets().size());
  for (std::size_t i = 0; i < sets.size(); ++i) {
    CHECK(sets[i].name == datasets()[i].name);
    CHECK(sets[i].dim == datasets()[i].dim);
  }
  REQUIRE(find_dataset("mnist28") != nullptr);
  CHECK(find_dataset("mnist28")->dim == 784);
  CHECK(find_dataset("nope") == nullptr);
}

TEST_CASE("malformed dataset lines are rejected naming the line and the rule") {
  const std::string ok = "dataset | ring8 | toy2d | | | Ring\n";
  rejected("# c\ndataset | ring8 | toy2d | | Ring\n", 2, "expected: dataset | name | kind | side | source | title");
  rejected(ok + "dataset | a | toy2d | | | t | extra\n", 2, "expected: dataset");
  rejected("datasets | ring8 | toy2d | | | Ring\n", 1, "expected: dataset");
  rejected("ring8 | toy2d\n", 1, "expected: dataset");
  rejected("dataset | Ring8 | toy2d | | | Ring\n", 1, "lower-case letters, digits and _");
  rejected("dataset | ring-8 | toy2d | | | Ring\n", 1, "lower-case letters, digits and _");
  rejected("dataset |  | points | | | Nameless\n", 1, "lower-case letters, digits and _");
  rejected(ok + "\n" + ok, 3, "'ring8' listed twice");
  rejected("dataset | ring8 | gaussian | | | Ring\n", 1, "unknown kind 'gaussian'");
  rejected("dataset | ring8 | toy2d | 2 | | Ring\n", 1, "only image data sets have a side and a source");
  rejected("dataset | ring8 | toy2d | | mnist | Ring\n", 1, "only image data sets have a side and a source");
  // A toy set data/toy2d does not define: its error names the set (data/toy2d's message, which
  // does not carry the table's line number).
  rejected("dataset | nosuchtoy | toy2d | | | What\n", 1, "unknown 2-D dataset 'nosuchtoy'");
}

TEST_CASE("malformed image lines and class lists are rejected") {
  const std::string classes = "classes | m | a | b\n";
  rejected(classes + "dataset | d | image | | m | D\n", 2, "an image side in [2, 256] is needed");
  rejected(classes + "dataset | d | image | 1 | m | D\n", 2, "an image side in [2, 256] is needed");
  rejected(classes + "dataset | d | image | 257 | m | D\n", 2, "an image side in [2, 256] is needed");
  rejected(classes + "dataset | d | image | 12px | m | D\n", 2, "an image side in [2, 256] is needed");
  rejected(classes + "dataset | d | image | -4 | m | D\n", 2, "an image side in [2, 256] is needed");
  rejected(classes + "dataset | d | image | 12 | | D\n", 2, "an image data set needs its source");
  rejected("classes | m\n", 1, "expected: classes | source | name");
  rejected("classes |  | a | b\n", 1, "expected: classes | source | name");
  rejected(classes + classes, 2, "classes of 'm' given twice");
  // Class lists may come after the data sets that use them, but must come.
  CHECK(parse_dataset_table("dataset | d | image | 4 | m | D\n" + classes).at(0).class_names.size() == 2);
  rejected("dataset | d | image | 4 | other | D\n" + classes, 0, "no class names for source 'other'");
  // The edges of the side's range are fine.
  CHECK(parse_dataset_table(classes + "dataset | d | image | 2 | m | D\n").at(0).dim == 4);
  CHECK(parse_dataset_table(classes + "dataset | d | image | 256 | m | D\n").at(0).dim == 65536);
}
