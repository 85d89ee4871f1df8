#include "daemon/app.h"

#include <openssl/crypto.h>
#include <sys/stat.h>
#include <atomic>
#include <mutex>

#include "config/config.h"
#include "core/log.h"
#include "daemon/sd_notify.h"
#include "daemon/signals.h"
#include "daemon/version.h"
#include "exporters/http/http_server.h"
#include "scheduler/monitor.h"
#include "storage/state_store.h"

namespace certvigil::daemon {
namespace {

constexpr int kExitConfig = 78;  // EX_CONFIG: systemd's RestartPreventExitStatus uses it

// What /metrics and /healthz learn about the daemon itself.
class DaemonState final : public exporters::StatusProvider {
 public:
  exporters::DaemonStatus status() const override {
    std::lock_guard lock(mutex_);
    return status_;
  }
  void setReload(bool ok, TimePoint at) {
    std::lock_guard lock(mutex_);
    status_.config_reload_ok = ok;
    if (ok) status_.config_reload_at = at;
  }
  void setReady() {
    std::lock_guard lock(mutex_);
    status_.ready = true;
  }

 private:
  mutable std::mutex mutex_;
  exporters::DaemonStatus status_{kVersion, OpenSSL_version(OPENSSL_VERSION), true, {}, false};
};

std::optional<config::Config> loadConfig(const std::filesystem::path& path) {
  config::LoadOutcome outcome = config::loadFile(path);
  for (const auto& p : outcome.problems) log::error(p.describe());
  if (!outcome.ok()) return std::nullopt;
  return std::move(outcome.config);
}

Status prepareStateDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return makeError(ErrorCode::Io, ec.message(), "state_dir " + dir.string());
  ::chmod(dir.c_str(), 0750);
  return Ok{};
}

// SIGHUP: load the file again; a bad config keeps the running one and says why.
void reload(const std::filesystem::path& path, scheduler::Monitor& monitor, DaemonState& state,
            const Clock& clock) {
  notifyReloading();
  log::info("reloading " + path.string());
  std::optional<config::Config> config = loadConfig(path);
  if (!config) {
    state.setReload(false, clock.now());  // before the log line: scripts watch the log
    log::error("reload failed: keeping the running configuration");
    notifyReady();
    return;
  }
  monitor.requestReload(
      std::make_shared<const config::Config>(std::move(*config)),
      [&state, &clock](const Status& st) {
        state.setReload(static_cast<bool>(st), clock.now());
        if (st) {
          log::info("configuration reloaded");
        } else {
          log::error("reload failed, keeping the running configuration: " + st.error().describe());
        }
        notifyReady();
      });
}

}  // namespace

int runDaemon(const RunOptions& options) {
  log::setThreshold(options.log_level);
  blockSignals();  // before any thread starts, so all inherit the mask
  SystemClock clock;
  std::optional<config::Config> config = loadConfig(options.config);
  if (!config) {
    log::error("invalid configuration " + options.config.string() + ": not starting");
    return kExitConfig;
  }
  if (Status st = prepareStateDir(config->state_dir); !st) {
    log::error(st.error().describe());
    return 1;
  }
  auto store = storage::StateStore::open(config->databasePath());
  if (!store) {
    log::error("cannot open the database: " + store.error().describe());
    return 1;
  }
  scheduler::Monitor monitor(store->get(), clock);
  if (Status st = monitor.configure(*config); !st) {
    log::error("cannot apply the configuration: " + st.error().describe());
    return kExitConfig;
  }
  DaemonState state;
  state.setReload(true, clock.now());
  exporters::HttpServerOptions http_options;
  http_options.listen = config->listen;
  exporters::HttpServer http(http_options, monitor, state);
  Result<int> port = http.bind();
  if (!port) {
    log::error("cannot listen: " + port.error().describe());
    return 1;
  }
  if (Status st = http.start(); !st) {
    log::error("cannot serve HTTP: " + st.error().describe());
    return 1;
  }
  log::notice("certvigil " + std::string(kVersion) + " listening on port " + std::to_string(*port) +
              " (" + config->listen + "), database " + config->databasePath().string());

  SignalWatcher signals([&] { reload(options.config, monitor, state, clock); },
                        [&] {
                          log::notice("stopping");
                          notifyStopping();
                          monitor.requestStop();
                        });
  state.setReady();
  notifyReady();
  monitor.run([] { notifyWatchdog(); });
  http.stop();
  log::notice("stopped");
  return 0;
}

}  // namespace certvigil::daemon
