// SPDX-License-Identifier: Apache-2.0
// core/uuid.h: random (version 4) UUIDs, the stable ids of alert events.
//
// The randomness is std::random_device: core is std-only (no OpenSSL here), and libstdc++'s
// random_device on Linux is a non-deterministic source (RDSEED/RDRAND, else getentropy() or
// /dev/urandom), never a seeded generator, so two daemons, or one restarted, never repeat an
// id. UUIDs need uniqueness, not secrecy: 122 random bits per id.
#pragma once

#include <memory>
#include <random>
#include <string>

namespace certvigil {

class UuidGenerator {
 public:
  /// "xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx" in lowercase hex, N one of 8, 9, a, b.
  std::string next();

 private:
  std::unique_ptr<std::random_device> device_ = std::make_unique<std::random_device>();
};

}  // namespace certvigil
