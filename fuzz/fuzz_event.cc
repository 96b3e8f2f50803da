// fuzz_event: arbitrary bytes as a --jsonl line (EventParser::Parse), then the
// parsed event screened with the lt2 pack and a small register; and, when the
// bytes are valid UTF-8, the same bytes as the text of a personal post (the
// path `gatehouse check` takes for a file that is not JSON), which drives the
// normaliser and every text check on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/time.h"
#include "base/utf8.h"
#include "engine/compiled_pack.h"
#include "engine/event.h"
#include "engine/screener.h"
#include "fuzz_support.h"
#include "policy/loader.h"

namespace {

using namespace gh;

struct Env {
  std::unique_ptr<engine::CompiledPack> pack;
  std::unique_ptr<engine::Screener> screener;
  std::unique_ptr<engine::ScreenState> state;
  engine::EventParser parser;
  engine::ScreenOptions options;
};

Env& GetEnv() {
  static Env* env = [] {
    auto* e = new Env;
    const auto& n = fuzz::SharedNormalizer();
    auto pack = fuzz::MustSetUp(policy::LoadPack("lt2", policy::DefaultPoliciesRoot()), "pack lt2");
    e->pack =
        fuzz::MustSetUp(engine::CompiledPack::Compile(
                            std::move(pack), n, engine::CompileOptions{engine::DefaultCacheDir()}),
                        "compile lt2");
    e->screener = std::make_unique<engine::Screener>(*e->pack, fuzz::SmallRegisters(), n,
                                                     fuzz::SharedRawPatterns());
    e->state =
        std::make_unique<engine::ScreenState>(fuzz::MustSetUp(e->screener->NewState(), "scratch"));
    // A fixed time: results must not depend on the clock.
    e->options.now = fuzz::MustSetUp(ParseInstant("2026-03-04T10:15:00+00:00"), "now");
    return e;
  }();
  return *env;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Env& env = GetEnv();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto ev = env.parser.Parse(input, "fuzz");
  if (ev.ok()) {
    const engine::ScreenResult r = env.screener->Screen(*ev, env.options, *env.state);
    fuzz::CheckResult(r, ev->text, true);
    (void)engine::FormatText(r, ev->text, nullptr, false);
  } else if (ev.status().message().empty()) {
    fuzz::Broken("a parse error has a message", input);
  }

  if (utf8::IsValid(input)) {
    const engine::Event post = engine::EventFromText(std::string(input));
    const engine::ScreenResult r = env.screener->Screen(post, env.options, *env.state);
    fuzz::CheckResult(r, post.text, true);
  }
  return 0;
}
