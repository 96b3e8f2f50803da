#include <gtest/gtest.h>

#include <set>

#include "auth/access.h"
#include "auth/password.h"

namespace gh::auth {
namespace {

std::vector<store::RoleGrant> G(const char* role, const char* school) {
  return {store::RoleGrant{role, school}};
}

TEST(Password, Argon2idHashesVerifyOnlyTheRightPassword) {
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse batterz"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "x"));
  auto h2 = HashPassword("correct horse battery");
  ASSERT_TRUE(h2.ok());
  EXPECT_NE(*h, *h2);  // salted
}

TEST(Password, PolicyRejectsShortPasswords) {
  EXPECT_FALSE(CheckPasswordPolicy("short").ok());
  EXPECT_TRUE(CheckPasswordPolicy("long enough pw").ok());
}

TEST(Tokens, AreRandomPrefixedAndHashed) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = NewToken("gha_");
    EXPECT_EQ(t.rfind("gha_", 0), 0u);
    EXPECT_EQ(t.size(), 4u + 43u);
    EXPECT_TRUE(seen.insert(t).second);
  }
  const std::string t = *seen.begin();
  EXPECT_EQ(TokenHash(t).size(), 64u);
  EXPECT_EQ(TokenHash(t), TokenHash(t));
  EXPECT_EQ(TokenHash(t).find(t), std::string::npos);
}

TEST(Access, SchoolGrantsReachTheirSchoolAndTrustWideReadsOnly) {
  const Access head(G("headteacher", "north"));
  const Scope& pupils = head.scope(Cap::kReadPupils);
  EXPECT_TRUE(pupils.CanRead("north"));
  EXPECT_FALSE(pupils.CanRead("south"));
  EXPECT_TRUE(head.scope(Cap::kReadPublic).CanRead(""));  // trust-wide list
  EXPECT_FALSE(head.scope(Cap::kWritePublic).CanWrite(""));
  EXPECT_TRUE(head.scope(Cap::kWritePupils).CanWrite("north"));
  EXPECT_FALSE(head.scope(Cap::kWritePupils).CanWrite("south"));
  EXPECT_FALSE(head.Has(Cap::kReadAudit));  // school grants never read the trail
}

TEST(Access, RolesGiveWhatTheirJobNeedsAndUnknownRolesTheLeast) {
  EXPECT_FALSE(Access(G("it_manager", "")).Has(Cap::kReadPupils));
  EXPECT_TRUE(Access(G("it_manager", "")).Has(Cap::kReadAudit));
  EXPECT_TRUE(Access(G("dsl", "n")).Has(Cap::kReadPupils));
  EXPECT_FALSE(Access(G("dsl", "n")).Has(Cap::kWritePupils));
  EXPECT_FALSE(Access(G("teacher", "n")).Has(Cap::kReadStaff));
  const Access odd(G("deputy_wizard", "n"));
  EXPECT_TRUE(odd.Has(Cap::kCheck));
  EXPECT_TRUE(odd.Has(Cap::kReadPublic));
  EXPECT_FALSE(odd.Has(Cap::kReadStaff));
  EXPECT_FALSE(odd.Has(Cap::kManageUsers));
  // Grants add up across schools.
  const Access two(std::vector<store::RoleGrant>{{"office", "n"}, {"office", "s"}});
  EXPECT_TRUE(two.scope(Cap::kWritePupils).CanWrite("s"));
  EXPECT_FALSE(two.scope(Cap::kWritePupils).whole_trust);
}

}  // namespace
}  // namespace gh::auth
