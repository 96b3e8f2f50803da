#include "model/trust_setup.h"

#include <nlohmann/json.hpp>

#include "model/schema.h"

namespace gh::model {

Status SeedTrust(store::Store& store, const policy::Pack& pack, const store::Actor& actor) {
  std::vector<store::Change> changes;
  for (const policy::School& s : pack.organisation.schools) {
    Row row{{"id", s.id}, {"name", s.name}, {"aliases", ""}};
    for (size_t i = 0; i < s.aliases.size(); ++i) {
      row["aliases"] += (i ? ";" : "") + s.aliases[i];
    }
    store::Change c;
    c.kind = "schools";
    c.id = s.id;
    c.school = s.id;
    c.data = RowToJson(row);
    changes.push_back(std::move(c));
  }
  GH_ASSIGN_OR_RETURN(auto applied, store.Apply(pack.id, actor, changes));
  (void)applied;
  nlohmann::json trust = {{"id", pack.id},
                          {"name", pack.name},
                          {"policy_version", pack.metadata.version},
                          {"timezone", pack.organisation.timezone}};
  store::Change t;
  t.kind = "trusts";
  t.id = pack.id;
  t.data = trust.dump();
  GH_ASSIGN_OR_RETURN(auto applied_trust, store.Apply("_", actor, {t}));
  (void)applied_trust;
  return Status::Ok();
}

std::vector<std::string> PackRoles(const policy::Pack& pack) {
  std::vector<std::string> roles;
  for (const auto& r : pack.roles) roles.push_back(r.id);
  return roles;
}

}  // namespace gh::model
