// Each trust's routes and escalation matrix, as the workflow layer reads
// them from the real packs (CLAUSES.md "Differences between trusts").
#include <gtest/gtest.h>

#include "policy/loader.h"
#include "workflow/workflow.h"

namespace gh::workflow {
namespace {

using V = std::vector<std::string>;

const policy::Pack& PackOf(const std::string& trust) {
  static std::map<std::string, policy::Pack> packs;
  auto it = packs.find(trust);
  if (it == packs.end()) {
    auto p = policy::LoadPack(trust, std::string(GATEHOUSE_SOURCE_DIR) + "/policies");
    EXPECT_TRUE(p.ok()) << p.status().message();
    it = packs.emplace(trust, std::move(*p)).first;
  }
  return it->second;
}

TEST(Routing, EscalationMatrixPerTrust) {
  // Headteacher for school staff; CEO (or the Chair at LLMAT) for headteachers.
  EXPECT_EQ(EscalationFor(PackOf("llmat"), "teacher"), V{"headteacher"});
  EXPECT_EQ(EscalationFor(PackOf("llmat"), "headteacher"), V{"chair"});
  EXPECT_EQ(EscalationFor(PackOf("mercia"), "headteacher"), V{"ceo"});
  EXPECT_EQ(EscalationFor(PackOf("mercia"), "ceo"), V{"chair"});
  EXPECT_EQ(EscalationFor(PackOf("lt2"), "central_staff"), V{"ceo"});
  EXPECT_EQ(EscalationFor(PackOf("lt2"), "head_of_hr"), V{"ceo"});
  EXPECT_EQ(EscalationFor(PackOf("lionheart"), "director_of_it"), V{"ceo"});
  EXPECT_EQ(EscalationFor(PackOf("chiltern"), "ceo"), V{"chair"});
  EXPECT_EQ(EscalationFor(PackOf("chiltern"), "office"), V{"headteacher"});
}

TEST(Routing, CategoryRoutesComeFromThePack) {
  const Json mercia = CaseMeta(PackOf("mercia"));
  EXPECT_EQ(mercia["routes"]["misuse"], Json(V{"ceo"}));                       // MERCIA-RESP-5
  EXPECT_EQ(mercia["routes"]["content_about_trust"], Json(V{"headteacher"}));  // MERCIA-REP-10
  EXPECT_EQ(mercia["routes"]["safeguarding"], Json(V{"dsl"}));
  const Json chiltern = CaseMeta(PackOf("chiltern"));
  EXPECT_EQ(chiltern["routes"]["safeguarding"], Json(V{"headteacher"}));   // CLT-6.2-5
  EXPECT_EQ(chiltern["routes"]["misuse"], Json(V{"headteacher", "slt"}));  // CLT-5.2-1
  const Json lt2 = CaseMeta(PackOf("lt2"));
  EXPECT_EQ(lt2["routes"]["harassment_of_staff"], Json(V{"headteacher", "ceo"}));  // LT2-5.1-6
  EXPECT_EQ(lt2["routes"]["media_enquiry"], Json(V{"headteacher"}));               // LT2-5-8
}

TEST(Routing, GrossMisconductCategoriesAreLt2sOnly) {
  EXPECT_FALSE(GrossMisconductRules(PackOf("lt2")).empty());
  for (const char* t : {"llmat", "mercia", "lionheart", "chiltern"}) {
    EXPECT_TRUE(GrossMisconductRules(PackOf(t)).empty()) << t;
  }
}

TEST(Routing, OfficialPostProtocolWhereThePolicyHasOne) {
  EXPECT_TRUE(PostProtocolAvailable(PackOf("mercia")).ok());
  EXPECT_TRUE(PostProtocolAvailable(PackOf("lt2")).ok());
  EXPECT_TRUE(PostProtocolAvailable(PackOf("lionheart")).ok());
  EXPECT_EQ(PostProtocolAvailable(PackOf("llmat")).code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(PostProtocolAvailable(PackOf("chiltern")).code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(Route(PackOf("mercia"), "official_post_approver"), V{"slt"});
  EXPECT_EQ(Route(PackOf("lt2"), "publisher"), V{"account_overseer"});
}

TEST(Routing, PersonHoldsARoleForASchoolOrTheTrust) {
  Person p;
  p.roles = {{"teacher", "a"}, {"dsl", ""}};
  EXPECT_TRUE(p.HasRole("teacher", "a"));
  EXPECT_FALSE(p.HasRole("teacher", "b"));
  EXPECT_FALSE(p.HasRole("teacher", ""));  // a trust-wide thing needs a trust-wide grant
  EXPECT_TRUE(p.HasRole("dsl", "b"));
  EXPECT_TRUE(p.HasRole("dsl", ""));
}

}  // namespace
}  // namespace gh::workflow
