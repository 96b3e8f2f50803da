// CheckContext::Emit: each piece of evidence once, the first of each kept in
// order, for the few pieces of most findings and for many.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/check.h"
#include "engine/compiled_pack.h"
#include "engine/registers.h"
#include "engine/signals.h"
#include "match/normalizer.h"
#include "policy/loader.h"

namespace gh::engine {
namespace {

// Two pieces are the same when every part of them is: written out here.
bool Same(const Evidence& a, const Evidence& b) {
  const bool boxes = a.box.has_value() == b.box.has_value() &&
                     (!a.box || (a.box->x == b.box->x && a.box->y == b.box->y &&
                                 a.box->w == b.box->w && a.box->h == b.box->h));
  return a.start == b.start && a.end == b.end && a.field == b.field && a.text == b.text && boxes;
}

std::vector<Evidence> FirstOfEach(const std::vector<Evidence>& in) {
  std::vector<Evidence> out;
  for (const auto& e : in) {
    bool seen = false;
    for (const auto& o : out) seen = seen || Same(o, e);
    if (!seen) out.push_back(e);
  }
  return out;
}

class EmitTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto n = match::Normalizer::Create();
    ASSERT_TRUE(n.ok());
    normalizer_ = new match::Normalizer(std::move(*n));
    auto pack = policy::LoadPack("lt2", "policies");
    ASSERT_TRUE(pack.ok()) << pack.status().message();
    CompileOptions options;
    options.text_model = false;
    options.cache_dir = DefaultCacheDir();
    auto cp = CompiledPack::Compile(std::move(*pack), *normalizer_, options);
    ASSERT_TRUE(cp.ok()) << cp.status().message();
    pack_ = cp->release();
  }

  std::vector<Finding> Emit(std::vector<Evidence> evidence) {
    std::vector<Finding> out;
    const CheckContext ctx{event_,       signals_, registers_, *pack_, *pack_->rules()[0].rule,
                           *normalizer_, {},       out};
    ctx.Emit("message", std::move(evidence));
    return out;
  }

  static inline match::Normalizer* normalizer_ = nullptr;
  static inline const CompiledPack* pack_ = nullptr;
  Event event_;
  Signals signals_;
  Registers registers_;
};

TEST_F(EmitTest, KeepsTheFirstOfEachPieceInOrder) {
  // Pieces that differ in one part only, so that each part is compared.
  std::vector<Evidence> pool(7);
  pool[0] = {0, 4, "word", "text", std::nullopt};
  pool[1] = {0, 4, "word", "media[0].alt", std::nullopt};
  pool[2] = {0, 4, "Word", "text", std::nullopt};
  pool[3] = {1, 4, "word", "text", std::nullopt};
  pool[4] = {0, 5, "word", "text", std::nullopt};
  pool[5] = {0, 4, "word", "text", ImageBox{1, 2, 3, 4}};
  pool[6] = {0, 4, "word", "text", ImageBox{1, 2, 3, 5}};
  std::mt19937 rng(5);
  // Lists of every length up to 40: the short path and the keyed one.
  for (size_t len = 0; len <= 40; ++len) {
    for (int round = 0; round < 25; ++round) {
      std::vector<Evidence> in;
      for (size_t i = 0; i < len; ++i) in.push_back(pool[rng() % pool.size()]);
      const auto want = FirstOfEach(in);
      const auto got = Emit(in);
      ASSERT_EQ(got.size(), 1u);
      ASSERT_EQ(got[0].evidence.size(), want.size()) << "length " << len;
      for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_TRUE(Same(got[0].evidence[i], want[i])) << "length " << len << ", piece " << i;
      }
    }
  }
}

}  // namespace
}  // namespace gh::engine
