// Factories of the check types (policies/README.md "Checks"), one per file in
// this folder. check.cc maps a rule's `check:` name to its factory.
#pragma once

#include <memory>

#include "engine/check.h"

namespace gh::engine::checks {

using Factory = Result<std::unique_ptr<Check>>(const CheckBuilder&);

Factory MakeLexicon;
Factory MakePersonalData;
Factory MakePersonMention;
Factory MakePupilConsent;
Factory MakePupilImage;
Factory MakeStaffImage;
Factory MakeOrgMention;
Factory MakeLogo;
Factory MakeImageFaces;
Factory MakeImageLocation;
Factory MakePhotoDevice;
Factory MakeAffiliation;
Factory MakeRepresentative;
Factory MakeDisparagement;
Factory MakeLinks;
Factory MakeWorkingTime;
Factory MakeProxyPosting;
Factory MakePupilContact;
Factory MakeParentContact;
Factory MakeOfficialDm;
Factory MakeProfileWorkEmail;
Factory MakeProfileOfficialEmail;
Factory MakeProfileFollowers;
Factory MakeProfileRequiredText;

}  // namespace gh::engine::checks
