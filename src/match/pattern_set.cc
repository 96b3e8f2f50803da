// PatternSet over Hyperscan / Vectorscan block mode.

#include "match/pattern_set.h"

#include <hs.h>

#include <unistd.h>
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/strings.h"

namespace gh::match {

namespace {
// Every pattern reports the leftmost start of its match, so evidence covers the
// whole word, not just its last byte.
constexpr unsigned int kFlags = HS_FLAG_SOM_LEFTMOST;

struct ScanContext {
  std::vector<Match>* out;
};

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to,  // NOLINT(runtime/int)
            unsigned int /*flags*/, void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  c->out->push_back(Match{id, static_cast<uint32_t>(from), static_cast<uint32_t>(to)});
  return 0;  // keep scanning
}

// Literal sets (PatternSpec::literals): what each literal of the database is.
struct LiteralInfo {
  uint32_t id;   // the pattern's id
  uint32_t len;  // bytes
  bool letters_after;
  bool track_start;
  bool word_boundaries;
};

// Hyperscan's \b without HS_FLAG_UCP: between a byte of [0-9A-Za-z_] and one
// that is not, the ends of the text counting as not.
bool IsBoundary(std::string_view text, size_t pos) {
  const bool before = pos > 0 && IsWordByteAscii(text[pos - 1]);
  const bool after = pos < text.size() && IsWordByteAscii(text[pos]);
  return before != after;
}

struct LiteralContext {
  std::string_view text;
  const std::vector<LiteralInfo>* lits;
  std::vector<Match>* out;
};

// Each literal found: check the boundaries its regex has, and extend over
// "[a-z]*" where the regex has it, reporting every end the regex would.
int OnLiteral(unsigned int index, unsigned long long,  // NOLINT(runtime/int)
              unsigned long long to, unsigned int, void* ctx) {
  auto* c = static_cast<LiteralContext*>(ctx);
  const LiteralInfo& lit = (*c->lits)[index];
  const size_t start = static_cast<size_t>(to) - lit.len;
  const uint32_t from = lit.track_start ? static_cast<uint32_t>(start) : 0u;
  size_t end = static_cast<size_t>(to);
  if (!lit.word_boundaries) {
    c->out->push_back(Match{lit.id, from, static_cast<uint32_t>(end)});
    return 0;
  }
  if (!IsBoundary(c->text, start)) return 0;
  for (;;) {
    if (IsBoundary(c->text, end))
      c->out->push_back(Match{lit.id, from, static_cast<uint32_t>(end)});
    if (!lit.letters_after || end >= c->text.size() || c->text[end] < 'a' || c->text[end] > 'z')
      break;
    ++end;
  }
  return 0;
}

// The gate's callback: one match is enough.
int OnGateMatch(unsigned int, unsigned long long, unsigned long long,  // NOLINT(runtime/int)
                unsigned int, void*) {
  return 1;  // stop: hs_scan returns HS_SCAN_TERMINATED
}
}  // namespace

struct PatternSet::Impl {
  hs_database_t* db = nullptr;    // null for an empty set
  hs_database_t* gate = nullptr;  // see Compile(); null when there is none
  // A literal set (PatternSpec::literals): db holds the literals, and
  // lits[i] says what literal i is.
  bool literal = false;
  std::vector<LiteralInfo> lits;
  ~Impl() {
    if (db != nullptr) hs_free_database(db);
    if (gate != nullptr) hs_free_database(gate);
  }
};

struct PatternSet::Scratch::Impl {
  const PatternSet::Impl* owner = nullptr;  // the set this scratch was made for
  hs_scratch_t* scratch = nullptr;
  ~Impl() {
    if (scratch != nullptr) hs_free_scratch(scratch);
  }
};

PatternSet::Scratch::Scratch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PatternSet::Scratch::Scratch(Scratch&&) noexcept = default;
PatternSet::Scratch& PatternSet::Scratch::operator=(Scratch&&) noexcept = default;
PatternSet::Scratch::~Scratch() = default;

PatternSet::PatternSet(std::unique_ptr<Impl> impl, size_t count)
    : impl_(std::move(impl)), count_(count) {}
PatternSet::PatternSet(PatternSet&&) noexcept = default;
PatternSet& PatternSet::operator=(PatternSet&&) noexcept = default;
PatternSet::~PatternSet() = default;

namespace {
// Compiles `specs` into `*db` with `flags` per pattern (see CompileDb).
Status CompileDb(const std::vector<PatternSpec>& specs, const std::vector<const char*>& expressions,
                 const std::vector<unsigned int>& flags, const std::vector<unsigned int>& ids,
                 hs_database_t** db) {
  hs_compile_error_t* error = nullptr;
  const hs_error_t rc =
      hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned int>(specs.size()), HS_MODE_BLOCK, nullptr, db, &error);
  if (rc == HS_SUCCESS) return Status::Ok();
  std::string message =
      error != nullptr && error->message != nullptr ? error->message : "unknown error";
  const int index = error != nullptr ? error->expression : -1;
  if (error != nullptr) hs_free_compile_error(error);
  if (index >= 0 && static_cast<size_t>(index) < specs.size()) {
    const PatternSpec& bad = specs[static_cast<size_t>(index)];
    return Status::InvalidArgument(bad.origin + ": pattern '" + bad.regex +
                                   "' does not compile: " + message);
  }
  return Status::InvalidArgument("pattern set of " + std::to_string(specs.size()) +
                                 " patterns does not compile: " + message);
}

bool TracksStarts(const std::vector<PatternSpec>& specs) {
  return std::any_of(specs.begin(), specs.end(),
                     [](const PatternSpec& s) { return s.track_start; });
}

bool AllLiteral(const std::vector<PatternSpec>& specs) {
  return !specs.empty() && std::all_of(specs.begin(), specs.end(), [](const PatternSpec& s) {
    return !s.literals.empty() && std::none_of(s.literals.begin(), s.literals.end(),
                                               [](const std::string& l) { return l.empty(); });
  });
}

// What each literal of a literal set's database is, in database order (the
// same order whether the database was compiled or read from the cache).
std::vector<LiteralInfo> LiteralInfos(const std::vector<PatternSpec>& specs) {
  std::vector<LiteralInfo> lits;
  for (const PatternSpec& s : specs) {
    for (const std::string& l : s.literals) {
      lits.push_back({s.id, static_cast<uint32_t>(l.size()), s.letters_after && s.word_boundaries,
                      s.track_start, s.word_boundaries});
    }
  }
  return lits;
}
}  // namespace

Result<PatternSet> PatternSet::CompileLiterals(const std::vector<PatternSpec>& specs) {
  auto impl = std::make_unique<Impl>();
  impl->literal = true;
  std::vector<const char*> expressions;
  std::vector<size_t> lengths;
  std::vector<unsigned int> ids;
  for (const PatternSpec& s : specs) {
    for (const std::string& l : s.literals) {
      if (l.size() > std::numeric_limits<uint32_t>::max()) {
        return Status::InvalidArgument(s.origin + ": literal too long");
      }
      ids.push_back(static_cast<unsigned int>(expressions.size()));
      expressions.push_back(l.data());
      lengths.push_back(l.size());
    }
  }
  impl->lits = LiteralInfos(specs);
  if (ids.size() > std::numeric_limits<unsigned int>::max()) {
    return Status::InvalidArgument("too many literals");
  }
  const std::vector<unsigned int> flags(ids.size(), 0u);
  hs_compile_error_t* error = nullptr;
  const hs_error_t rc = hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(),
                                             lengths.data(), static_cast<unsigned int>(ids.size()),
                                             HS_MODE_BLOCK, nullptr, &impl->db, &error);
  if (rc != HS_SUCCESS) {
    std::string message =
        error != nullptr && error->message != nullptr ? error->message : "unknown error";
    const int index = error != nullptr ? error->expression : -1;
    if (error != nullptr) hs_free_compile_error(error);
    std::string where = "set of " + std::to_string(specs.size()) + " literal patterns";
    if (index >= 0 && static_cast<size_t>(index) < impl->lits.size()) {
      for (const PatternSpec& s : specs) {
        if (s.id == impl->lits[static_cast<size_t>(index)].id) where = s.origin;
      }
    }
    return Status::InvalidArgument(where + " does not compile: " + message);
  }
  return PatternSet(std::move(impl), specs.size());
}

Result<PatternSet> PatternSet::Compile(const std::vector<PatternSpec>& specs, bool gate) {
  auto impl = std::make_unique<Impl>();
  if (specs.empty()) return PatternSet(std::move(impl), 0);
  if (hs_valid_platform() != HS_SUCCESS) {
    return Status::Internal("this CPU lacks the instructions Hyperscan needs (SSE4.2)");
  }
  if (specs.size() > std::numeric_limits<unsigned int>::max()) {
    return Status::InvalidArgument("too many patterns");
  }

  if (AllLiteral(specs)) return CompileLiterals(specs);

  std::vector<const char*> expressions;
  std::vector<unsigned int> flags;
  flags.reserve(specs.size());
  for (const PatternSpec& s : specs) flags.push_back(s.track_start ? kFlags : 0u);
  std::vector<unsigned int> ids;
  expressions.reserve(specs.size());
  ids.reserve(specs.size());
  for (const PatternSpec& s : specs) {
    if (s.regex.find('\0') != std::string::npos) {
      return Status::InvalidArgument(s.origin + ": pattern '" +
                                     s.regex.substr(0, s.regex.find('\0')) +
                                     "...' contains a NUL byte");
    }
    expressions.push_back(s.regex.c_str());
    ids.push_back(s.id);
  }

  GH_RETURN_IF_ERROR(CompileDb(specs, expressions, flags, ids, &impl->db));
  if (gate && TracksStarts(specs)) {
    // Same patterns, no start of match, one report each.
    const std::vector<unsigned int> gate_flags(specs.size(), HS_FLAG_SINGLEMATCH);
    GH_RETURN_IF_ERROR(CompileDb(specs, expressions, gate_flags, ids, &impl->gate));
  }
  return PatternSet(std::move(impl), specs.size());
}

namespace {
// Two FNV-1a 64-bit hashes with different offset bases: a 128-bit key for the
// cache (a collision would need both to collide for the same count).
std::string CacheKey(const std::vector<PatternSpec>& specs, bool gate) {
  uint64_t a = 14695981039346656037ull, b = 0x84222325cbf29ce4ull;
  auto mix = [&](std::string_view s) {
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      a = (a ^ c) * 1099511628211ull;
      b = (b ^ c) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
    }
    a = (a ^ 0xff) * 1099511628211ull;
    b = (b ^ 0xfe) * 0x100000001b3ull;
  };
  mix(hs_version());
  mix(std::to_string(kFlags));
  if (gate) mix("gate");
  for (const auto& sp : specs) {
    mix(sp.regex);
    mix(std::to_string(sp.id));
    mix(sp.track_start ? "s" : "-");
    for (const auto& l : sp.literals) mix(l);
    mix(sp.letters_after ? "l" : "-");
    mix(sp.word_boundaries ? "b" : "-");
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%016llx%016llx-%zu",
                static_cast<unsigned long long>(a),                 // NOLINT
                static_cast<unsigned long long>(b), specs.size());  // NOLINT
  return buf;
}

hs_database_t* LoadCached(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) return nullptr;
  return db;
}

void StoreCached(const std::string& dir, const std::string& path, const hs_database_t* db) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Write then rename, so a reader never sees half a file.
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes, static_cast<std::streamsize>(length));
    if (!out) {
      std::free(bytes);
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::free(bytes);
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}
}  // namespace

Result<std::shared_ptr<const PatternSet>> PatternSet::CompileShared(
    const std::vector<PatternSpec>& specs, const std::string& cache_dir, bool gate) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::weak_ptr<const PatternSet>> live;
  const bool literal = AllLiteral(specs);
  gate = gate && TracksStarts(specs) && !literal;
  const std::string key = CacheKey(specs, gate);
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = live.find(key); it != live.end()) {
    if (auto existing = it->second.lock()) return existing;
  }
  std::shared_ptr<const PatternSet> set;
  const std::string path = cache_dir.empty() ? "" : cache_dir + "/" + key + ".hsdb";
  const std::string gate_path = path.empty() || !gate ? "" : cache_dir + "/" + key + ".gate.hsdb";
  if (!path.empty() && !specs.empty()) {
    auto impl = std::make_unique<Impl>();
    impl->db = LoadCached(path);
    if (literal) {
      impl->literal = true;
      impl->lits = LiteralInfos(specs);
    }
    if (impl->db != nullptr && !gate_path.empty()) impl->gate = LoadCached(gate_path);
    if (impl->db != nullptr && (gate_path.empty() || impl->gate != nullptr)) {
      set = std::make_shared<const PatternSet>(PatternSet(std::move(impl), specs.size()));
    }
  }
  if (!set) {
    GH_ASSIGN_OR_RETURN(PatternSet compiled, Compile(specs, gate));
    if (!path.empty() && compiled.impl_->db != nullptr)
      StoreCached(cache_dir, path, compiled.impl_->db);
    if (!gate_path.empty() && compiled.impl_->gate != nullptr)
      StoreCached(cache_dir, gate_path, compiled.impl_->gate);
    set = std::make_shared<const PatternSet>(std::move(compiled));
  }
  live[key] = set;
  return set;
}

std::string PatternSet::LibraryVersion() {
  std::string v = std::string("libhs ") + hs_version();
  while (!v.empty() && v.back() == ' ') v.pop_back();  // Vectorscan ends it with a space
  return v;
}

Result<PatternSet::Scratch> PatternSet::MakeScratch() const {
  auto s = std::make_unique<Scratch::Impl>();
  s->owner = impl_.get();
  if (impl_ != nullptr && impl_->db != nullptr) {
    if (hs_alloc_scratch(impl_->db, &s->scratch) != HS_SUCCESS ||
        (impl_->gate != nullptr && hs_alloc_scratch(impl_->gate, &s->scratch) != HS_SUCCESS)) {
      return Status::Internal("could not allocate Hyperscan scratch space");
    }
  }
  return Scratch(std::move(s));
}

Status PatternSet::Scan(std::string_view text, Scratch& scratch, std::vector<Match>& out) const {
  if (impl_ == nullptr || impl_->db == nullptr) return Status::Ok();
  if (scratch.impl_ == nullptr || scratch.impl_->owner != impl_.get() ||
      scratch.impl_->scratch == nullptr) {
    return Status::FailedPrecondition("scratch space was made for another pattern set");
  }
  if (text.size() > std::numeric_limits<unsigned int>::max()) {
    return Status::InvalidArgument("text too long to scan (" + std::to_string(text.size()) +
                                   " bytes)");
  }
  if (impl_->gate != nullptr) {
    const hs_error_t g = hs_scan(impl_->gate, text.data(), static_cast<unsigned int>(text.size()),
                                 0, scratch.impl_->scratch, OnGateMatch, nullptr);
    if (g == HS_SUCCESS) return Status::Ok();  // ran to the end: nothing matches
    if (g != HS_SCAN_TERMINATED) {
      return Status::Internal("Hyperscan scan failed (error " + std::to_string(g) + ")");
    }
  }
  const size_t first = out.size();
  hs_error_t rc;
  if (impl_->literal) {
    LiteralContext ctx{text, &impl_->lits, &out};
    rc = hs_scan(impl_->db, text.data(), static_cast<unsigned int>(text.size()), 0,
                 scratch.impl_->scratch, OnLiteral, &ctx);
  } else {
    ScanContext ctx{&out};
    rc = hs_scan(impl_->db, text.data(), static_cast<unsigned int>(text.size()), 0,
                 scratch.impl_->scratch, OnMatch, &ctx);
  }
  if (rc != HS_SUCCESS) {
    return Status::Internal("Hyperscan scan failed (error " + std::to_string(rc) + ")");
  }
  if (impl_->literal && out.size() - first > 1) {
    // A regex reports one match per (pattern, end), with the leftmost start;
    // two literals of one pattern may end at the same place ("'tis", "tis").
    auto begin = out.begin() + static_cast<std::ptrdiff_t>(first);
    std::sort(begin, out.end(), [](const Match& a, const Match& b) {
      return std::tie(a.to, a.id, a.from) < std::tie(b.to, b.id, b.from);
    });
    out.erase(
        std::unique(begin, out.end(),
                    [](const Match& a, const Match& b) { return a.to == b.to && a.id == b.id; }),
        out.end());
  }
  // Hyperscan reports in order of end offset; make the order total and
  // deterministic (to, then from, then id) without allocating.
  auto key = [](const Match& m) { return std::tuple(m.to, m.from, m.id); };
  auto begin = out.begin() + static_cast<std::ptrdiff_t>(first);
  if (!std::is_sorted(begin, out.end(),
                      [&](const Match& a, const Match& b) { return key(a) < key(b); })) {
    std::sort(begin, out.end(), [&](const Match& a, const Match& b) { return key(a) < key(b); });
  }
  return Status::Ok();
}

}  // namespace gh::match
