// The official-post protocol (Mercia PROT-5/6, LT2 7.3-5/6, Lionheart's
// school-sanctioned accounts 4.2-x): a member of staff drafts a post for an
// official account; Gatehouse screens it and builds the checklist the policy
// asks for; the pack's approver role approves (bound to a hash of the exact
// content), asks for changes or rejects; only the pack's publisher marks it
// published, once approved and before the approval expires. A consent
// withdrawn later flags every published post showing that pupil for removal.
//
// States: draft -> submitted -> approved -> published -> (removal_required ->
// removed); submitted -> changes_requested -> (edit) -> draft; submitted ->
// rejected; approved -> expired; any unpublished state -> withdrawn. An edit of
// an approved post voids the approval (back to draft).
//
// Packs without an approver route (Lionheart) have no approval step: a
// submitted post whose checklist is clear is approved by the checklist, and
// the account's owner or moderator publishes. Packs without the protocol at
// all (no approver route and no official accounts rule) refuse with a reason.
#pragma once

#include <string_view>

#include "workflow/common.h"

namespace gh::workflow {

inline constexpr std::string_view kPostKind = "wf.posts";
// The bytes of images sent with a draft, one record per post and image.
inline constexpr std::string_view kPostImageKind = "wf.post_images";

// Whether this trust's policy has an official-post protocol, and why not.
Status PostProtocolAvailable(const policy::Pack& pack);

Result<Json> CreatePost(const Env& env, const Person& who, const Json& in);
// Replaces the content; `in.version` must be the version last read.
Result<Json> UpdatePost(const Env& env, const Person& who, std::string_view id, const Json& in);
Result<Json> GetPost(const Env& env, const Person& who, std::string_view id);
// The bytes of one of the post's images (for those who may see the post);
// `type` gets its media type.
Result<std::string> PostImage(const Env& env, const Person& who, std::string_view id,
                              std::string_view sha256, std::string& type);
// queue: "mine" (authored), "approve" (awaiting my approval), "publish"
// (approved, mine to publish), "all" (everything I may see). status filters.
Result<Json> ListPosts(const Env& env, const Person& who, std::string_view queue,
                       std::string_view status);
// action: submit, approve, request_changes, reject, publish, withdraw,
// confirm_removed. `in` may carry version, reason, url, policy_followed.
Result<Json> PostAction(const Env& env, const Person& who, std::string_view id,
                        std::string_view action, const Json& in);

struct PostSweep {
  int expired = 0, flagged_for_removal = 0;
};
// Expires unused approvals and flags published posts whose pupils' consent is
// no longer granted. Idempotent.
Result<PostSweep> SweepPosts(const Env& env);

}  // namespace gh::workflow
