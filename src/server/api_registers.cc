// The registers over HTTP: list, read, create/update with optimistic
// versions, delete, CSV import and export; always within the caller's schools.
#include <algorithm>

#include "base/strings.h"
#include "model/registers_io.h"
#include "model/schema.h"
#include "model/trust_setup.h"
#include "server/internal.h"

namespace gh::server {

namespace {

const model::Kind& KindOf(Call& call) { return *model::FindKind(call.req.matches[1].str()); }

const auth::Scope& ReadScope(Call& call, const model::Kind& k) {
  return call.who->access.scope(auth::ReadCapFor(k.access));
}
const auth::Scope& WriteScope(Call& call, const model::Kind& k) {
  return call.who->access.scope(auth::WriteCapFor(k.access));
}

Json RecordJson(const store::Record& r) {
  Json fields = Json::parse(r.data, nullptr, false);
  return {{"id", r.id},
          {"school", r.school.empty() ? Json() : Json(r.school)},
          {"version", r.version},
          {"updated_at", r.updated_at},
          {"updated_by", r.updated_by},
          {"fields", fields.is_discarded() ? Json::object() : fields}};
}

Json FieldsJson(const model::Kind& k) {
  Json fields = Json::array();
  for (const model::Field& f : k.fields) {
    Json j = {{"name", f.name}, {"required", f.required}};
    if (!f.values.empty()) j["values"] = std::vector<std::string>(f.values.begin(), f.values.end());
    if (!f.refers_to.empty()) j["refers_to"] = f.refers_to;
    if (!f.help.empty()) j["help"] = f.help;
    fields.push_back(std::move(j));
  }
  return fields;
}

bool ParseBoolParam(Call& call, const char* name, bool& out) {
  if (!call.req.has_param(name)) return true;
  const std::string v = call.req.get_param_value(name);
  if (v == "true" || v == "1" || v.empty()) {
    out = true;
  } else if (v == "false" || v == "0") {
    out = false;
  } else {
    ReplyError(call.res, 400, "invalid_argument", std::string(name) + ": must be true or false",
               name);
    return false;
  }
  return true;
}

}  // namespace

void HandleListKinds(Server::Impl&, Call& call) {
  Json kinds = Json::array();
  for (const model::Kind& k : model::Kinds()) {
    kinds.push_back({{"kind", k.name},
                     {"title", k.title},
                     {"key", std::vector<std::string>(k.key.begin(), k.key.end())},
                     {"fields", FieldsJson(k)},
                     {"can_read", ReadScope(call, k).any()},
                     {"can_write", WriteScope(call, k).any()}});
  }
  ReplyJson(call.res, 200, {{"registers", kinds}});
}

void HandleListRecords(Server::Impl& impl, Call& call) {
  const model::Kind& kind = KindOf(call);
  const auth::Scope& scope = ReadScope(call, kind);
  const std::string school = call.req.get_param_value("school");
  auto visible = [&](const store::Record& r) {
    return scope.CanRead(r.school) && (school.empty() || r.school == school);
  };
  const std::string trust = call.who->user.trust;
  if (call.req.get_param_value("format") == "csv") {
    auto csv = model::ExportCsv(*impl.deps.store, trust, kind, visible);
    if (!csv.ok()) return ReplyStatus(call.res, csv.status());
    call.res.status = 200;
    call.res.set_header("Content-Disposition",
                        "attachment; filename=\"" + std::string(kind.name) + ".csv\"");
    call.res.set_content(std::move(*csv), "text/csv; charset=utf-8");
    return;
  }
  int64_t limit = 1000;
  if (call.req.has_param("limit")) {
    const std::optional<int64_t> n = ParseInt64(call.req.get_param_value("limit"));
    if (!n || *n < 1 || *n > 10000) {
      return ReplyError(call.res, 400, "invalid_argument", "limit: 1 to 10000", "limit");
    }
    limit = *n;
  }
  const std::string after = call.req.get_param_value("after");
  auto records = impl.deps.store->List(trust, kind.name);
  if (!records.ok()) return ReplyStatus(call.res, records.status());
  Json out = Json::array();
  std::string last;
  bool more = false;
  for (const auto& r : *records) {
    if (!after.empty() && r.id <= after) continue;
    if (!visible(r)) continue;
    if (static_cast<int64_t>(out.size()) == limit) {
      more = true;
      break;
    }
    out.push_back(RecordJson(r));
    last = r.id;
  }
  Json body = {{"kind", kind.name}, {"records", out}};
  if (more) body["next_after"] = last;
  ReplyJson(call.res, 200, body);
}

void HandleGetRecord(Server::Impl& impl, Call& call) {
  const model::Kind& kind = KindOf(call);
  const std::string id = call.req.matches[2].str();
  auto r = impl.deps.store->Get(call.who->user.trust, kind.name, id);
  if (!r.ok()) return ReplyStatus(call.res, r.status());
  // Another school's record is reported exactly as a missing one.
  if (!*r || !ReadScope(call, kind).CanRead((*r)->school)) {
    return ReplyError(call.res, 404, "not_found",
                      "no " + std::string(kind.name) + " record '" + id + "'", "id");
  }
  ReplyJson(call.res, 200, RecordJson(**r));
}

void HandlePutRecord(Server::Impl& impl, Call& call) {
  const model::Kind& kind = KindOf(call);
  const std::string id = call.req.matches[2].str();
  const std::string trust = call.who->user.trust;
  auto body = ParseJsonBody(call);
  if (!body) return;
  std::optional<int64_t> version;
  if (!GetInt(call, *body, "version", version)) return;
  auto fields_it = body->find("fields");
  if (fields_it == body->end() || !fields_it->is_object()) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "fields: must be an object of column: text", "fields");
  }
  model::Row row;
  for (auto it = fields_it->begin(); it != fields_it->end(); ++it) {
    const bool known = std::any_of(kind.fields.begin(), kind.fields.end(),
                                   [&](const model::Field& f) { return f.name == it.key(); });
    if (!known) {
      return ReplyError(call.res, 400, "invalid_argument",
                        "fields." + it.key() + ": not a column of " + std::string(kind.name),
                        "fields." + it.key());
    }
    if (!it->is_string() && !it->is_null()) {
      return ReplyError(call.res, 400, "invalid_argument",
                        "fields." + it.key() + ": must be a string", "fields." + it.key());
    }
    row[it.key()] = it->is_null() ? std::string() : it->get<std::string>();
  }
  if (kind.key.size() == 1 && row[std::string(kind.key[0])].empty()) {
    row[std::string(kind.key[0])] = id;
  }
  const engine::CompiledPack* pack = impl.Pack(trust);
  const auto problems = model::NormaliseRow(kind, row, model::PackRoles(pack->pack()));
  if (!problems.empty()) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "fields." + problems[0].column + ": " + problems[0].message,
                      "fields." + problems[0].column);
  }
  if (model::RowId(kind, row) != id) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "the key fields give id '" + model::RowId(kind, row) +
                          "', not the id in the path '" + id + "'",
                      "id");
  }
  store::Store& st = *impl.deps.store;
  // References must name existing records.
  for (const model::Field& f : kind.fields) {
    const std::string& v = row[std::string(f.name)];
    if (f.refers_to.empty() || v.empty()) continue;
    auto ref = st.Get(trust, f.refers_to, v);
    if (!ref.ok()) return ReplyStatus(call.res, ref.status());
    if (!*ref) {
      return ReplyError(call.res, 400, "invalid_argument",
                        "fields." + std::string(f.name) + ": '" + v + "' is not in the " +
                            std::string(f.refers_to) + " register",
                        "fields." + std::string(f.name));
    }
  }
  const std::string school = model::SchoolOf(
      kind, row, [&](std::string_view k, std::string_view rid) -> std::optional<std::string> {
        auto r = st.Get(trust, k, rid);
        if (!r.ok() || !*r) return std::nullopt;
        return (*r)->school;
      });
  const auth::Scope& scope = WriteScope(call, kind);
  auto existing = st.Get(trust, kind.name, id);
  if (!existing.ok()) return ReplyStatus(call.res, existing.status());
  if (*existing && !ReadScope(call, kind).CanRead((*existing)->school)) {
    return ReplyError(call.res, 404, "not_found",
                      "no " + std::string(kind.name) + " record '" + id + "'", "id");
  }
  if (!scope.CanWrite(school) || (*existing && !scope.CanWrite((*existing)->school))) {
    return ReplyError(call.res, 403, "permission_denied",
                      school.empty() ? "a trust-wide record needs a trust-wide role"
                                     : "school '" + school + "' is outside your schools");
  }
  if (*existing && !version) {
    return ReplyError(call.res, 409, "conflict",
                      "version: required to update (the record is at version " +
                          std::to_string((*existing)->version) + ")",
                      "version");
  }
  store::Change c;
  c.kind = std::string(kind.name);
  c.id = id;
  c.school = school;
  c.data = model::RowToJson(row);
  c.expected_version = version ? *version : store::Change::kMustNotExist;
  auto applied = st.Apply(trust, ActorOf(*call.who), {c});
  if (!applied.ok()) return ReplyStatus(call.res, applied.status(), "version");
  impl.RegistersChanged(trust, kind.name);
  auto now = st.Get(trust, kind.name, id);
  if (!now.ok() || !*now)
    return ReplyStatus(call.res, now.ok() ? Status::Internal("record vanished") : now.status());
  ReplyJson(call.res, *existing ? 200 : 201, RecordJson(**now));
}

void HandleDeleteRecord(Server::Impl& impl, Call& call) {
  const model::Kind& kind = KindOf(call);
  const std::string id = call.req.matches[2].str();
  const std::string trust = call.who->user.trust;
  const std::optional<int64_t> version = ParseInt64(call.req.get_param_value("version"));
  if (!version || *version < 1) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "version: query parameter required (the version last read)", "version");
  }
  auto existing = impl.deps.store->Get(trust, kind.name, id);
  if (!existing.ok()) return ReplyStatus(call.res, existing.status());
  if (!*existing || !ReadScope(call, kind).CanRead((*existing)->school)) {
    return ReplyError(call.res, 404, "not_found",
                      "no " + std::string(kind.name) + " record '" + id + "'", "id");
  }
  if (!WriteScope(call, kind).CanWrite((*existing)->school)) {
    return ReplyError(call.res, 403, "permission_denied", "this record is outside your schools");
  }
  store::Change c;
  c.op = store::Change::Op::kDelete;
  c.kind = std::string(kind.name);
  c.id = id;
  c.school = (*existing)->school;
  c.expected_version = *version;
  auto applied = impl.deps.store->Apply(trust, ActorOf(*call.who), {c});
  if (!applied.ok()) return ReplyStatus(call.res, applied.status(), "version");
  impl.RegistersChanged(trust, kind.name);
  ReplyJson(call.res, 200, {{"deleted", id}});
}

void HandleImport(Server::Impl& impl, Call& call) {
  const model::Kind& kind = KindOf(call);
  const std::string trust = call.who->user.trust;
  model::ImportOptions options;
  if (!ParseBoolParam(call, "dry_run", options.dry_run) ||
      !ParseBoolParam(call, "replace", options.replace)) {
    return;
  }
  options.roles = model::PackRoles(impl.Pack(trust)->pack());
  const auth::Scope& scope = WriteScope(call, kind);
  if (!scope.whole_trust) {
    options.allow_all_schools = false;
    options.allowed_schools.assign(scope.schools.begin(), scope.schools.end());
  }
  auto report = model::ImportCsv(*impl.deps.store, trust, ActorOf(*call.who),
                                 {{std::string(kind.name) + ".csv", call.req.body}}, options);
  if (!report.ok()) return ReplyStatus(call.res, report.status());
  Json errors = Json::array();
  for (const auto& e : report->errors) {
    errors.push_back({{"file", e.file},
                      {"line", e.line},
                      {"column", e.column},
                      {"message", e.message},
                      {"text", e.ToString()}});
  }
  Json body = {{"kind", kind.name},
               {"rows", report->rows},
               {"created", report->created},
               {"updated", report->updated},
               {"unchanged", report->unchanged},
               {"deleted", report->deleted},
               {"dry_run", options.dry_run},
               {"written", report->written},
               {"errors", errors},
               {"more_errors", report->more_errors},
               {"warnings", report->warnings}};
  if (report->written) impl.RegistersChanged(trust, kind.name);
  if (!report->errors.empty()) {
    body["error"] = {{"code", "invalid_rows"},
                     {"message", std::to_string(report->errors.size() + report->more_errors) +
                                     " bad row(s); nothing was written"}};
    return ReplyJson(call.res, 422, body);
  }
  ReplyJson(call.res, 200, body);
}

}  // namespace gh::server
