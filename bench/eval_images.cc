// eval_images: how often Gatehouse catches a pupil named in a picture, end to
// end through the real CLI, and how often it flags a picture with nothing to
// find.
//
//   eval_images --gatehouse PATH [--trust lt2] [--n 200] [--seed 7] [--out DIR]
//               [--school ID] [--jobs N] [--show-misses K] [--json]
//               [--generate-only]
//
// The program writes into DIR (default: a new folder under the system's temp
// folder, kept afterwards):
//   data/pupils.csv   one current pupil per evaluated name (EvalNames)
//   img/cert-NNNN.*   N certificates naming those pupils: six font families,
//                     a quarter upright, the rest tilted -25..25 degrees,
//                     scale 0.5..1, 60% JPEG
//   img/clean-NNNN.*  about N/2 pictures with nothing to find: sample photos
//                     (CleanSampleNames), posters with innocuous text, and
//                     certificates for names not on the register (DecoyNames)
//   events.jsonl      one official post per picture, text "Well done!",
//                     media[0] the picture (relative to DIR)
//   manifest.jsonl    what each line of events.jsonl is (kind, file, name,
//                     font, style, angle, scale, format)
// then runs
//   gatehouse check --trust T --data DIR/data --now 2026-11-21T10:00:00Z
//                   --jsonl DIR/events.jsonl
// and reads one result per line. A certificate is caught when a finding of
// rule "pupil-identified" has evidence whose field starts with "media[0]"; a
// clean picture is flagged when any finding has such evidence. Printed: the
// catch rate overall (Wilson 95% interval) and by font, style, angle, scale
// and format; the false-flag rate by kind of clean picture and by rule; wall
// time per picture (generation excluded, the CLI's start-up included). --json
// prints one JSON object instead. --generate-only writes the folder and prints
// the command. --school fills pupils.csv's school column (default empty; lt2's
// demo register uses rugby-free-primary); --jobs is passed on to the CLI.
//
// Exit status: 0 when the run completed (whatever the rates), 2 for bad
// arguments, a folder that cannot be written, or a CLI that fails (exit
// status other than 0 or 1) or answers with the wrong number of lines.
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/images/test_images.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace gh::testimg;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "eval_images: %s\n", message.c_str());
  std::exit(2);
}

// The fixtures' generator with this program's own salt (the same picks as
// when it kept a copy).
Rng MakeRng(uint64_t seed) { return Rng(seed, 0xE7A1u); }

const std::vector<std::string> kFonts = {"DejaVu Sans",     "DejaVu Serif",     "DejaVu Sans Mono",
                                         "Liberation Sans", "Liberation Serif", "Liberation Mono"};

// Posters with nothing on them a screening rule should mind.
const std::vector<std::vector<std::string>> kPosterTexts = {
    {"Sports day is on Friday", "Bring a water bottle"},
    {"Bake sale after school", "All proceeds to the library"},
    {"Harvest festival", "Tins and packets welcome"},
    {"Year 4 trip to the museum", "Packed lunch please"},
    {"Parents' evening", "Thursday 4pm to 7pm"},
    {"Library open at lunchtime"},
    {"Well done to our netball team!"},
    {"Autumn term dates", "Half term starts 24 October"},
    {"Book week", "Come dressed as your favourite character"},
    {"Recycling champions", "Every classroom has a paper bin"}};

// One picture of the run, as listed in manifest.jsonl.
struct Item {
  bool certificate = false;  // a registered pupil's certificate (else clean)
  std::string kind;          // certificate | sample | poster | decoy-certificate
  std::string file;          // relative to the output folder
  std::string name;          // the name printed, if any
  std::string font, style, format;
  double angle = 0, scale = 1;
};

std::string StyleName(bool bold, bool italic) {
  if (bold && italic) return "bold italic";
  if (bold) return "bold";
  return italic ? "italic" : "regular";
}

// Zero-padded so that the buckets sort in order.
std::string AngleBucket(double angle) {
  const double a = std::abs(angle);
  if (a == 0) return "00 upright";
  if (a < 5) return "00-05";
  if (a < 10) return "05-10";
  if (a < 15) return "10-15";
  return "15-25";
}

std::string ScaleBucket(double scale) { return scale < 0.75 ? "0.50-0.75" : "0.75-1.00"; }

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) Die("cannot write " + path.string());
}

// A certificate with the evaluation's spread of fonts, tilts and sizes.
Item MakeCertificate(const std::string& name, size_t i, Rng& rng, const fs::path& dir,
                     const std::string& stem, bool registered) {
  CertificateSpec s;
  s.name = name;
  s.font_family = kFonts[i % kFonts.size()];  // balanced buckets
  s.bold = rng.Chance(0.25);
  s.italic = rng.Chance(0.2);
  // A quarter are the exported file itself, upright; the rest are photos.
  s.angle_deg = rng.Chance(0.25) ? 0 : std::round(rng.Uniform(-25, 25) * 10) / 10;
  s.scale = std::round(rng.Uniform(0.5, 1.0) * 100) / 100;
  s.format = rng.Chance(0.6) ? "jpeg" : "png";
  s.seed = static_cast<uint32_t>(rng.Next());
  Item it;
  it.certificate = registered;
  it.kind = registered ? "certificate" : "decoy-certificate";
  it.file = "img/" + stem + (s.format == "jpeg" ? ".jpg" : ".png");
  it.name = name;
  it.font = s.font_family;
  it.style = StyleName(s.bold, s.italic);
  it.format = s.format;
  it.angle = s.angle_deg;
  it.scale = s.scale;
  WriteFile(dir / it.file, RenderCertificate(s));
  return it;
}

std::string Pad4(size_t i) {
  std::string s = std::to_string(i);
  return s.size() < 4 ? std::string(4 - s.size(), '0') + s : s;
}

// Single-quoted for sh.
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

struct Wilson {
  double lo, hi;
};
// The Wilson score interval for k successes in n trials, 95%.
Wilson WilsonInterval(size_t k, size_t n) {
  if (n == 0) return {0, 1};
  const double z = 1.959963984540054, nn = static_cast<double>(n);
  const double p = static_cast<double>(k) / nn;
  const double denom = 1 + z * z / nn;
  const double centre = (p + z * z / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

struct Count {
  size_t hit = 0, total = 0;
  void Add(bool h) {
    hit += h ? 1 : 0;
    ++total;
  }
  double Rate() const { return total ? static_cast<double>(hit) / static_cast<double>(total) : 0; }
};

json CountJson(const Count& c, bool with_interval) {
  json j = {{"hit", c.hit}, {"total", c.total}, {"rate", c.Rate()}};
  if (with_interval) {
    const Wilson w = WilsonInterval(c.hit, c.total);
    j["ci95"] = {w.lo, w.hi};
  }
  return j;
}

std::string CountText(const Count& c) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%zu/%zu (%.1f%%)", c.hit, c.total, 100 * c.Rate());
  return buf;
}

// The string member `key` of `j`, or `fallback` when absent or not a string.
std::string StringMember(const json& j, const char* key, const std::string& fallback) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return fallback;
  return it->get_ref<const std::string&>();
}

// Whether any evidence of `finding` points into the first picture.
bool OnFirstMedia(const json& finding) {
  const auto ev = finding.find("evidence");
  if (ev == finding.end() || !ev->is_array()) return false;
  for (const json& e : *ev) {
    // CHECK.md: an absent field means the post's text.
    const std::string field = StringMember(e, "field", "text");
    if (field.rfind("media[0]", 0) == 0) return true;
  }
  return false;
}

struct Options {
  std::string gatehouse, trust = "lt2", out, school, jobs;
  size_t n = 200, show_misses = 10;
  uint32_t seed = 7;
  bool json = false, generate_only = false, show_misses_given = false;
};

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    auto number = [&](const std::string& v) -> unsigned long {
      char* end = nullptr;
      const unsigned long x = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0') Die(a + ": '" + v + "' is not a number");
      return x;
    };
    if (a == "--gatehouse") {
      o.gatehouse = next();
    } else if (a == "--trust") {
      o.trust = next();
    } else if (a == "--n") {
      o.n = number(next());
    } else if (a == "--seed") {
      o.seed = static_cast<uint32_t>(number(next()));
    } else if (a == "--out") {
      o.out = next();
    } else if (a == "--school") {
      o.school = next();
    } else if (a == "--jobs") {
      o.jobs = std::to_string(number(next()));
    } else if (a == "--show-misses") {
      o.show_misses = number(next());
      o.show_misses_given = true;
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--generate-only") {
      o.generate_only = true;
    } else if (a == "-h" || a == "--help") {
      std::printf(
          "usage: eval_images --gatehouse PATH [--trust lt2] [--n 200] [--seed 7] [--out DIR]\n"
          "                   [--school ID] [--jobs N] [--show-misses K] [--json]\n"
          "                   [--generate-only]\n");
      std::exit(0);
    } else {
      Die("unknown argument '" + a + "' (try --help)");
    }
  }
  if (o.gatehouse.empty() && !o.generate_only) Die("--gatehouse PATH is required");
  if (o.n == 0) Die("--n must be at least 1");
  // The decoy names (24 x 24 pairs) run out first: at --n 1000, 250 are used.
  if (o.n > 1000) Die("--n is at most 1000");
  if (o.json && !o.show_misses_given) o.show_misses = 0;
  return o;
}

fs::path MakeOutputFolder(const std::string& requested) {
  fs::path dir;
  if (!requested.empty()) {
    dir = requested;
  } else {
    std::string tmpl = (fs::temp_directory_path() / "gatehouse-eval-images-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) Die("cannot create a folder under the temp folder");
    dir = tmpl;
  }
  std::error_code ec;
  fs::create_directories(dir / "data", ec);
  if (!ec) fs::create_directories(dir / "img", ec);
  if (ec) Die("cannot create " + dir.string() + ": " + ec.message());
  return fs::absolute(dir);
}

// Writes the register, the pictures, events.jsonl and manifest.jsonl.
std::vector<Item> Generate(const Options& o, const fs::path& dir) {
  Rng rng = MakeRng(o.seed);
  const auto names = EvalNames(o.n, o.seed);

  std::string csv =
      "id,first_name,last_name,preferred_name,date_of_birth,school,status,left_on,photo_consent,"
      "social_media_consent\n";
  for (size_t i = 0; i < names.size(); ++i) {
    // Primary-age birthdays, spread over 2015-2021, none on a 29th or later.
    char dob[16];
    std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 2015 + static_cast<int>(i % 7),
                  1 + static_cast<int>((i * 5) % 12), 1 + static_cast<int>((i * 11) % 28));
    // Names are from fixed lists without commas or quotes: no CSV quoting.
    csv += "P" + Pad4(i + 1) + "," + names[i].first + "," + names[i].second + ",," + dob + "," +
           o.school + ",current,,yes,yes\n";
  }
  WriteFile(dir / "data" / "pupils.csv", csv);

  std::vector<Item> items;
  for (size_t i = 0; i < names.size(); ++i) {
    items.push_back(MakeCertificate(names[i].first + " " + names[i].second, i, rng, dir,
                                    "cert-" + Pad4(i + 1), true));
    if (!o.json && (i + 1) % 50 == 0) std::fprintf(stderr, "  %zu certificates\n", i + 1);
  }

  // Clean pictures, the three kinds in turn (two when the samples are absent).
  const std::vector<std::string> samples = CleanSampleNames();
  const size_t m = std::max<size_t>(1, o.n / 2);
  auto kind_of = [&](size_t i) -> size_t { return samples.empty() ? 1 + i % 2 : i % 3; };
  size_t decoys_needed = 0;
  for (size_t i = 0; i < m; ++i)
    if (kind_of(i) == 2) ++decoys_needed;
  const auto decoys = DecoyNames(decoys_needed, o.seed);
  size_t n_decoys = 0;
  for (size_t i = 0; i < m; ++i) {
    const std::string stem = "clean-" + Pad4(i + 1);
    const size_t kind = kind_of(i);
    if (kind == 0) {
      const std::string& file = samples[(i / 3) % samples.size()];
      const std::optional<std::string> bytes = SamplePicture(file);
      if (!bytes) Die("cannot read the sample picture " + file);
      Item it;
      it.kind = "sample";
      it.file = "img/" + stem + fs::path(file).extension().string();
      it.name = file;  // which sample, for the manifest
      it.format = fs::path(file).extension() == ".png" ? "png" : "jpeg";
      WriteFile(dir / it.file, *bytes);
      items.push_back(it);
    } else if (kind == 1) {
      const auto& lines = kPosterTexts[rng.Index(kPosterTexts.size())];
      Item it;
      it.kind = "poster";
      it.file = "img/" + stem + ".png";
      it.font = kFonts[rng.Index(kFonts.size())];
      it.angle = std::round(rng.Uniform(-10, 10) * 10) / 10;
      it.format = "png";
      const bool square = rng.Chance(0.3);
      WriteFile(dir / it.file,
                RenderTextImage(lines, it.font, it.angle, square ? 800 : 1000, square ? 800 : 700));
      items.push_back(it);
    } else {
      // Numbered apart from the other kinds, so the fonts take turns here too.
      items.push_back(MakeCertificate(decoys[n_decoys].first + " " + decoys[n_decoys].second,
                                      n_decoys, rng, dir, stem, false));
      ++n_decoys;
    }
  }

  std::string events, manifest;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    // ordered_json: keys in the order CHECK.md's examples use.
    events +=
        nlohmann::ordered_json{{"kind", "post"},
                               {"channel", "official"},
                               {"text", "Well done!"},
                               {"media", nlohmann::ordered_json::array({{{"path", it.file}}})}}
            .dump() +
        "\n";
    manifest +=
        nlohmann::ordered_json{{"index", i},        {"kind", it.kind},   {"file", it.file},
                               {"name", it.name},   {"font", it.font},   {"style", it.style},
                               {"angle", it.angle}, {"scale", it.scale}, {"format", it.format}}
            .dump() +
        "\n";
  }
  WriteFile(dir / "events.jsonl", events);
  WriteFile(dir / "manifest.jsonl", manifest);
  return items;
}

std::string CheckCommand(const Options& o, const fs::path& dir) {
  std::string cmd = ShellQuote(o.gatehouse) + " check --trust " + ShellQuote(o.trust) + " --data " +
                    ShellQuote((dir / "data").string()) +
                    " --now 2026-11-21T10:00:00Z --format json";
  if (!o.jobs.empty()) cmd += " --jobs " + o.jobs;
  return cmd + " --jsonl " + ShellQuote((dir / "events.jsonl").string());
}

// Runs the CLI; one result per input line, in input order.
std::vector<json> RunCheck(const std::string& cmd, size_t expected) {
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) Die("cannot run: " + cmd);
  std::vector<json> results;
  std::string line;
  char buf[1 << 16];
  while (std::fgets(buf, sizeof buf, p) != nullptr) {
    line += buf;
    if (line.empty() || line.back() != '\n') continue;  // a longer line: read on
    try {
      results.push_back(json::parse(line));
    } catch (const json::parse_error& e) {
      pclose(p);
      Die("line " + std::to_string(results.size() + 1) + " of the CLI's output is not JSON (" +
          e.what() + "): " + line.substr(0, 200));
    }
    line.clear();
  }
  const int status = pclose(p);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) > 1) {
    Die("the CLI failed (status " + std::to_string(status) + "): " + cmd);
  }
  if (results.size() != expected) {
    Die("the CLI answered " + std::to_string(results.size()) + " lines for " +
        std::to_string(expected) + " events");
  }
  // Results come in input order; "index" says so, when present.
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].contains("index") && results[i]["index"] != i) {
      Die("result " + std::to_string(i) + " carries index " + results[i]["index"].dump());
    }
  }
  return results;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  const fs::path dir = MakeOutputFolder(o.out);
  std::vector<Item> items;
  try {
    if (!o.json) std::fprintf(stderr, "eval_images: writing %s\n", dir.c_str());
    items = Generate(o, dir);
  } catch (const std::runtime_error& e) {
    Die(e.what());
  }
  const std::string cmd = CheckCommand(o, dir);
  if (o.generate_only) {
    std::printf("%s\n",
                o.gatehouse.empty() ? (dir.string() + "/events.jsonl").c_str() : cmd.c_str());
    return 0;
  }

  const auto start = std::chrono::steady_clock::now();
  const std::vector<json> results = RunCheck(cmd, items.size());
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  Count caught, flagged;
  std::map<std::string, Count> by_font, by_style, by_angle, by_scale, by_format, by_kind;
  std::map<std::string, size_t> flag_rules;
  size_t errors = 0;
  std::vector<size_t> misses, false_flags;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    const json& r = results[i];
    if (r.contains("error")) ++errors;
    bool pupil = false, any = false;
    if (const auto f = r.find("findings"); f != r.end() && f->is_array()) {
      for (const json& finding : *f) {
        if (!OnFirstMedia(finding)) continue;
        const std::string rule = StringMember(finding, "rule", "");
        any = true;
        pupil = pupil || rule == "pupil-identified";
        if (!it.certificate) ++flag_rules[rule];
      }
    }
    if (it.certificate) {
      caught.Add(pupil);
      by_font[it.font].Add(pupil);
      by_style[it.style].Add(pupil);
      by_angle[AngleBucket(it.angle)].Add(pupil);
      by_scale[ScaleBucket(it.scale)].Add(pupil);
      by_format[it.format].Add(pupil);
      if (!pupil) misses.push_back(i);
    } else {
      flagged.Add(any);
      by_kind[it.kind].Add(any);
      if (any) false_flags.push_back(i);
    }
  }
  const double ms_per_image = wall_ms / static_cast<double>(items.size());

  if (o.json) {
    auto buckets = [](const std::map<std::string, Count>& m) {
      json j = json::object();
      for (const auto& [k, c] : m) j[k] = CountJson(c, false);
      return j;
    };
    json out = {{"trust", o.trust},
                {"seed", o.seed},
                {"dir", dir.string()},
                {"certificates", caught.total},
                {"clean", flagged.total},
                {"catch", CountJson(caught, true)},
                {"catch_by_font", buckets(by_font)},
                {"catch_by_style", buckets(by_style)},
                {"catch_by_angle", buckets(by_angle)},
                {"catch_by_scale", buckets(by_scale)},
                {"catch_by_format", buckets(by_format)},
                {"false_flags", CountJson(flagged, true)},
                {"false_flags_by_kind", buckets(by_kind)},
                {"false_flag_rules", flag_rules},
                {"errors", errors},
                {"wall_ms", wall_ms},
                {"ms_per_image", ms_per_image}};
    json missed = json::array();
    for (size_t k = 0; k < misses.size() && k < o.show_misses; ++k) {
      missed.push_back(items[misses[k]].file);
    }
    if (o.show_misses) out["misses"] = missed;
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }

  const Wilson wc = WilsonInterval(caught.hit, caught.total);
  const Wilson wf = WilsonInterval(flagged.hit, flagged.total);
  std::printf("eval_images: trust %s, seed %u, %zu certificates, %zu clean pictures (%s)\n",
              o.trust.c_str(), o.seed, caught.total, flagged.total, dir.c_str());
  std::printf("catch rate    %s, 95%% CI %.1f-%.1f%%\n", CountText(caught).c_str(), 100 * wc.lo,
              100 * wc.hi);
  auto print = [](const char* title, const std::map<std::string, Count>& m) {
    std::printf("  by %-8s", title);
    bool first = true;
    for (const auto& [k, c] : m) {
      std::printf("%s%s %s", first ? "" : "; ", k.c_str(), CountText(c).c_str());
      first = false;
    }
    std::printf("\n");
  };
  print("font", by_font);
  print("style", by_style);
  print("angle", by_angle);
  print("scale", by_scale);
  print("format", by_format);
  std::printf("false flags   %s, 95%% CI %.1f-%.1f%%\n", CountText(flagged).c_str(), 100 * wf.lo,
              100 * wf.hi);
  print("kind", by_kind);
  if (!flag_rules.empty()) {
    std::printf("  by rule    ");
    for (const auto& [rule, k] : flag_rules) std::printf(" %s %zu", rule.c_str(), k);
    std::printf("\n");
  }
  if (errors) std::printf("errors        %zu lines could not be screened\n", errors);
  std::printf("time          %.1f s for %zu pictures, %.0f ms per picture\n", wall_ms / 1000,
              items.size(), ms_per_image);
  for (size_t k = 0; k < misses.size() && k < o.show_misses; ++k) {
    const Item& it = items[misses[k]];
    std::printf("  missed %s \"%s\" %s %s angle %.1f scale %.2f\n", it.file.c_str(),
                it.name.c_str(), it.font.c_str(), it.style.c_str(), it.angle, it.scale);
  }
  for (size_t k = 0; k < false_flags.size() && k < o.show_misses; ++k) {
    std::printf("  flagged %s (%s)\n", items[false_flags[k]].file.c_str(),
                items[false_flags[k]].kind.c_str());
  }
  return 0;
}
