// SPDX-License-Identifier: Apache-2.0
// exporters/http/web_config_source.cpp: see the header. The files are compared by device, inode,
// size and both timestamps (ns): a rename over the file (certbot, cert-manager) and an in-place
// rewrite are both seen. A refused change is not retried until a file changes again, so a bad
// file costs one log line, not one per request.
#include "exporters/http/web_config_source.h"

#include <sys/stat.h>

#include "core/log.h"
#include "exporters/http/tls_material.h"

namespace certvigil::exporters {
namespace fs = std::filesystem;

namespace {

std::string describeProblems(const std::vector<config::ConfigProblem>& problems) {
  std::string out;
  for (const config::ConfigProblem& p : problems) out += (out.empty() ? "" : "; ") + p.describe();
  return out;
}

}  // namespace

WebConfigLoader shortFormLoader(const config::WebTlsConfig& tls) {
  return [tls] {
    config::WebConfigOutcome out;
    out.config.emplace();
    out.config->tls = tls;
    return out;
  };
}

WebConfigSource::WebConfigSource(WebConfigLoader loader) : loader_(std::move(loader)) {
  std::vector<Stamp> stamps;
  Result<std::shared_ptr<const WebState>> loaded = load(stamps);
  if (!loaded) {
    initial_ = loaded.error();
    return;
  }
  state_ = *loaded;
  stamps_ = std::move(stamps);
  tls_enabled_ = state_->tls != nullptr;
}

WebConfigSource::~WebConfigSource() = default;

WebConfigSource::Stamp WebConfigSource::stampOf(const fs::path& path) {
  Stamp stamp;
  stamp.path = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return stamp;
  stamp.device = st.st_dev;
  stamp.inode = st.st_ino;
  stamp.size = st.st_size;
  stamp.mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  stamp.ctime_ns = static_cast<long long>(st.st_ctim.tv_sec) * 1000000000LL + st.st_ctim.tv_nsec;
  return stamp;
}

std::vector<WebConfigSource::Stamp> WebConfigSource::stampsOf(const config::WebConfig& config) {
  std::vector<Stamp> stamps;
  for (const fs::path* path :
       {&config.source, &config.tls.cert_file, &config.tls.key_file, &config.tls.client_ca_file}) {
    if (!path->empty()) stamps.push_back(stampOf(*path));
  }
  return stamps;
}

// Stamps are taken before reading, so a write during the load is seen at the next request.
Result<std::shared_ptr<const WebState>> WebConfigSource::load(std::vector<Stamp>& stamps) const {
  config::WebConfigOutcome outcome = loader_();
  if (!outcome.ok()) {
    return makeError(ErrorCode::Config, describeProblems(outcome.problems), "web config");
  }
  stamps = stampsOf(*outcome.config);
  auto state = std::make_shared<WebState>();
  if (outcome.config->tls.enabled()) {
    Result<std::shared_ptr<const TlsMaterial>> tls = TlsMaterial::load(outcome.config->tls);
    if (!tls) {
      Error error = tls.error();
      if (!outcome.config->source.empty())
        error.context = outcome.config->source.string() + ": " + error.context;
      return error;
    }
    state->tls = *tls;
  }
  auto users = BasicAuthUsers::make(outcome.config->basic_auth_users);
  if (!users) return users.error();
  state->users = *users;
  state->config = std::move(*outcome.config);
  return std::shared_ptr<const WebState>(std::move(state));
}

bool WebConfigSource::changed() const {
  for (const Stamp& stamp : stamps_) {
    if (!(stampOf(stamp.path) == stamp)) return true;
  }
  return false;
}

Status WebConfigSource::reloadLocked() {
  std::vector<Stamp> stamps;
  Result<std::shared_ptr<const WebState>> loaded = load(stamps);
  Status refused = Ok{};
  if (!loaded) {
    refused = loaded.error();
  } else if (((*loaded)->tls != nullptr) != tls_enabled_) {
    refused = makeError(ErrorCode::Config,
                        tls_enabled_ ? "TLS cannot be turned off without a restart"
                                     : "TLS cannot be turned on without a restart",
                        "web config");
  }
  if (!refused) {
    const std::string why = refused.error().describe();
    if (why != problem_)
      log::error("listener: " + why + "; keeping the web configuration in force");
    problem_ = why;
    for (const Stamp& old : stamps_) stamps.push_back(stampOf(old.path));  // retry on a change
    stamps_ = std::move(stamps);
    return refused;
  }
  if (state_) log::notice("listener: web configuration and TLS files reloaded");
  state_ = *loaded;
  stamps_ = std::move(stamps);
  problem_.clear();
  return Ok{};
}

std::shared_ptr<const WebState> WebConfigSource::current() {
  std::lock_guard lock(mutex_);
  if (state_ && changed()) (void)reloadLocked();
  return state_;
}

Status WebConfigSource::reset(WebConfigLoader loader) {
  std::lock_guard lock(mutex_);
  loader_ = std::move(loader);
  if (!state_) return initial_;
  return reloadLocked();
}

std::string WebConfigSource::problem() const {
  std::lock_guard lock(mutex_);
  return problem_;
}

bool WebConfigSource::authorize(const WebState& state, const std::string& authorization) {
  if (!state.users || state.users->hashes.empty()) return true;
  return authenticator_.check(*state.users, authorization);
}

}  // namespace certvigil::exporters
