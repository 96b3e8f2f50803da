// fuzz_api_body: arbitrary bytes as the body of an HTTP API request, through
// the same parsing and validation the handlers of src/server use, without a
// server (no sockets, no threads).
//
// The first byte picks the path (byte % 3) and, with its upper bits, the
// register kind and options; the rest is the body:
//
//   0  POST /api/v1/check (api_check.cc): the UTF-8 check, then
//      EventParser::Parse; and the generic JSON body parse every other JSON
//      route uses (nlohmann, allow_exceptions=false, must be an object).
//   1  PUT /api/v1/registers/{kind}/{id} (api_registers.cc): the JSON
//      object's "version" and "fields", each field a known column holding a
//      string or null, model::NormaliseRow, RowId, RowToJson/RowFromJson; a
//      valid row is written to a fresh in-memory store and read back.
//   2  POST /api/v1/registers/{kind}/import: the body as <kind>.csv through
//      model::ImportCsv into a fresh in-memory store (":memory:", seeded with
//      the trust and its schools as `gatehouse serve` does); when the
//      import is written, importing the same bytes again must change nothing.
//
// Invariants trap (fuzz::Broken) so libFuzzer and the replay test report the
// input. The register path uses chiltern's roles, as the server does.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "engine/event.h"
#include "fuzz_support.h"
#include "model/registers_io.h"
#include "model/schema.h"
#include "model/trust_setup.h"
#include "policy/loader.h"
#include "store/store.h"

namespace {

using namespace gh;
using Json = nlohmann::json;

constexpr char kTrust[] = "chiltern";

const policy::Pack& Pack() {
  static const policy::Pack* pack = new policy::Pack(
      fuzz::MustSetUp(policy::LoadPack(kTrust, policy::DefaultPoliciesRoot()), "pack chiltern"));
  return *pack;
}

const std::vector<std::string>& Roles() {
  static const std::vector<std::string>* roles =
      new std::vector<std::string>(model::PackRoles(Pack()));
  return *roles;
}

// A fresh in-memory store holding what `gatehouse serve` seeds: the trust and
// its schools (so rows naming a school resolve).
std::unique_ptr<store::Store> FreshStore() {
  auto st = fuzz::MustSetUp(store::OpenStore(":memory:"), "memory store");
  if (Status s = model::SeedTrust(*st, Pack(), {"fuzz", "system"}); !s.ok()) {
    fuzz::SetupFailed("seeding chiltern", s);
  }
  return st;
}

// The body parse of ParseJsonBody (server.cc): empty, malformed or not an
// object is a 400.
std::optional<Json> ParseJsonBody(std::string_view body) {
  if (body.empty()) return std::nullopt;
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

void CheckBody(std::string_view body) {
  // Error replies are serialised with error_handler_t::replace: they must
  // never throw whatever the body held.
  (void)Json{{"error", {{"message", std::string(body.substr(0, 64))}}}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
  if (auto j = ParseJsonBody(body)) {
    (void)j->dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  if (utf8::FindInvalid(body) != std::string::npos) return;  // 400 before parsing
  static engine::EventParser* parser = new engine::EventParser;
  auto ev = parser->Parse(body, "request body");
  if (!ev.ok() && ev.status().message().empty()) {
    fuzz::Broken("a rejected event has a message", body);
  }
}

void PutRecordBody(const model::Kind& kind, std::string_view body) {
  auto j = ParseJsonBody(body);
  if (!j) return;
  auto version_it = j->find("version");
  std::optional<int64_t> version;
  if (version_it != j->end() && !version_it->is_null()) {
    if (!version_it->is_number_integer()) return;
    version = version_it->get<int64_t>();
  }
  auto fields_it = j->find("fields");
  if (fields_it == j->end() || !fields_it->is_object()) return;
  model::Row row;
  for (auto it = fields_it->begin(); it != fields_it->end(); ++it) {
    bool known = false;
    for (const model::Field& f : kind.fields) known |= f.name == it.key();
    if (!known) return;
    if (!it->is_string() && !it->is_null()) return;
    row[it.key()] = it->is_null() ? std::string() : it->get<std::string>();
  }
  // The handler fills a single-column key from the path; the path id here is
  // a fixed one.
  const std::string path_id = "ID-1";
  if (kind.key.size() == 1 && row[std::string(kind.key[0])].empty()) {
    row[std::string(kind.key[0])] = path_id;
  }
  const auto problems = model::NormaliseRow(kind, row, Roles());
  if (!problems.empty()) {
    for (const auto& p : problems) {
      if (p.message.empty()) fuzz::Broken("a field error has a message", body);
    }
    return;
  }
  // A valid row is stable: normalising it again changes nothing.
  model::Row again = row;
  if (!model::NormaliseRow(kind, again, Roles()).empty()) {
    fuzz::Broken("a normalised row is valid", body);
  }
  if (again != row) fuzz::Broken("NormaliseRow is idempotent", body);

  const std::string id = model::RowId(kind, row);
  const std::string data = model::RowToJson(row);
  auto back = model::RowFromJson(data);
  if (!back.ok()) fuzz::Broken("RowToJson output reads back", data);
  if (*back != row) fuzz::Broken("RowFromJson(RowToJson(row)) == row", data);
  const std::string school = model::SchoolOf(
      kind, row, [](std::string_view, std::string_view) { return std::optional<std::string>(); });
  if (id.empty()) return;  // the handler answers 400: the id differs from the path's

  auto st = FreshStore();
  store::Change c;
  c.kind = std::string(kind.name);
  c.id = id;
  c.school = school;
  c.data = data;
  c.expected_version = version ? *version : store::Change::kMustNotExist;
  auto applied = st->Apply(kTrust, {"fuzz", "api"}, {c});
  if (!applied.ok()) return;  // a version conflict is a 409
  auto rec = st->Get(kTrust, kind.name, id);
  if (!rec.ok() || !*rec) fuzz::Broken("a written record reads back", data);
  auto stored = model::RowFromJson((*rec)->data);
  if (!stored.ok() || *stored != row) fuzz::Broken("the stored record is the row", data);
}

void ImportBody(const model::Kind& kind, uint8_t options_bits, std::string_view body) {
  auto st = FreshStore();
  model::ImportOptions options;
  options.roles = Roles();
  options.dry_run = (options_bits & 1) != 0;
  options.replace = (options_bits & 2) != 0;
  if (options_bits & 4) {
    // A school-scoped caller (WriteScope): rows of other schools are errors.
    options.allow_all_schools = false;
    options.allowed_schools = {"beech-hill"};
  }
  const std::vector<model::CsvFile> files = {{std::string(kind.name) + ".csv", std::string(body)}};
  auto report = model::ImportCsv(*st, kTrust, {"fuzz", "api"}, files, options);
  if (!report.ok()) return;  // the store failed (a 500), not a bad row
  for (const auto& e : report->errors) {
    if (e.message.empty()) fuzz::Broken("an import error has a message", body);
    (void)e.ToString();
  }
  if (!report->errors.empty() && report->written) {
    fuzz::Broken("an import with bad rows writes nothing", body);
  }
  if (!report->written) return;
  // Re-importing the same file is a no-op.
  options.dry_run = false;
  auto again = model::ImportCsv(*st, kTrust, {"fuzz", "api"}, files, options);
  if (!again.ok()) fuzz::Broken("a re-import does not fail", body);
  if (!again->errors.empty()) fuzz::Broken("a file that imported imports again", body);
  if (again->created != 0 || again->updated != 0 || again->deleted != 0) {
    fuzz::Broken("re-importing the same file changes nothing", body);
  }
  (void)model::ExportCsv(*st, kTrust, kind, nullptr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto& kinds = model::Kinds();
  const model::Kind& kind = kinds[(selector / 3u) % kinds.size()];
  switch (selector % 3u) {
    case 0:
      CheckBody(body);
      break;
    case 1:
      PutRecordBody(kind, body);
      break;
    default:
      ImportBody(kind, static_cast<uint8_t>(selector / 3u / kinds.size()), body);
      break;
  }
  return 0;
}
