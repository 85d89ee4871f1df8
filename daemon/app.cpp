// SPDX-License-Identifier: Apache-2.0
#include "daemon/app.h"

#include <openssl/crypto.h>
#include <sys/stat.h>
#include <atomic>
#include <mutex>

#include "alerts/dispatcher.h"
#include "alerts/status_view.h"
#include "config/config.h"
#include "config/web_config.h"
#include "core/log.h"
#include "daemon/malloc_tuning.h"
#include "daemon/probe_route.h"
#include "daemon/sd_notify.h"
#include "daemon/signals.h"
#include "daemon/version.h"
#include "exporters/http/api_routes.h"
#include "exporters/http/http_server.h"
#include "scheduler/monitor.h"
#include "storage/history_reader.h"
#include "storage/state_store.h"

namespace certvigil::daemon {
namespace {

constexpr int kExitConfig = 78;  // EX_CONFIG: systemd's RestartPreventExitStatus uses it

// What /metrics and /healthz learn about the daemon itself: its own flags, plus the monitor's
// first pass and database health at the moment of asking.
class DaemonState final : public exporters::StatusProvider {
 public:
  explicit DaemonState(const scheduler::Monitor& monitor) : monitor_(monitor) {}

  exporters::DaemonStatus status() const override {
    exporters::DaemonStatus status;
    {
      std::lock_guard lock(mutex_);
      status = status_;
    }
    status.ready = status.ready && monitor_.firstPassDone();
    const scheduler::StorageHealth health = monitor_.storageHealth();
    status.storage_errors_total = health.errors_total;
    if (!health.failing.empty()) status.degraded.push_back("database: " + health.failing);
    if (web_ != nullptr) {
      if (std::string problem = web_->problem(); !problem.empty())
        status.degraded.push_back("listener: a changed web config or TLS file was refused (" +
                                  problem + "): the previous one is in force");
    }
    if (!status.config_reload_ok) {
      status.degraded.push_back(
          "the last configuration reload was refused: the previous configuration is in force");
    }
    return status;
  }
  void setReload(bool ok, TimePoint at) {
    std::lock_guard lock(mutex_);
    status_.config_reload_ok = ok;
    if (ok) status_.config_reload_at = at;
  }
  /// The listener's web configuration, whose refused changes make the daemon degraded.
  void setWebConfig(exporters::WebConfigSource* web) { web_ = web; }
  /// The listener is bound: ready once the monitor's first pass is done too.
  void setServing() {
    std::lock_guard lock(mutex_);
    status_.ready = true;
  }

 private:
  const scheduler::Monitor& monitor_;
  exporters::WebConfigSource* web_ = nullptr;  ///< set before the listener starts
  mutable std::mutex mutex_;
  exporters::DaemonStatus status_{kVersion, OpenSSL_version(OPENSSL_VERSION), true, {}, false};
};

// Loads and validates the file; with --shard, keeps only the endpoints this shard owns, so the
// rest of the daemon (scheduler, storage, /metrics) never sees the others.
std::optional<config::Config> loadConfig(const RunOptions& options) {
  config::LoadOutcome outcome = config::loadFile(options.config);
  for (const auto& p : outcome.problems) log::error(p.describe());
  if (!outcome.ok()) return std::nullopt;
  const config::WebConfigOutcome web =
      config::listenerWebConfig(*outcome.config, options.web_config_file);
  for (const auto& p : web.problems) log::error(p.describe());
  if (!web.ok()) return std::nullopt;
  if (options.shard) {
    const size_t dropped = scheduler::keepOwnedEndpoints(*outcome.config, *options.shard);
    log::info("shard " + scheduler::toString(*options.shard) + ": " +
              std::to_string(outcome.config->endpoints.size()) + " endpoints owned, " +
              std::to_string(dropped) + " left to other shards");
  }
  return std::move(outcome.config);
}

// The listener's web configuration as `config` names it, read again whenever its files change.
exporters::WebConfigLoader webConfigLoader(const config::Config& config,
                                           const std::filesystem::path& override_file) {
  config::Config names;  // only what listenerWebConfig reads
  names.source = config.source;
  names.tls = config.tls;
  names.web_config_file = config.web_config_file;
  return [names, override_file] { return config::listenerWebConfig(names, override_file); };
}

Status prepareStateDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return makeError(ErrorCode::Io, ec.message(), "state_dir " + dir.string());
  ::chmod(dir.c_str(), 0750);
  return Ok{};
}

// SIGHUP or POST /api/v1/reload: load the file again (and the API token); a bad config keeps
// the running one and says why. All or nothing: the token and the notifiers change only once
// the monitor has applied the new configuration (trust anchors can still refuse it there).
// Returns whether the file was accepted for applying.
bool reload(const RunOptions& options, scheduler::Monitor& monitor, DaemonState& state,
            const Clock& clock, exporters::BearerToken& api_token, alerts::Dispatcher& dispatcher,
            exporters::WebConfigSource* web) {
  notifyReloading();
  log::info("reloading " + options.config.string());
  std::optional<config::Config> config = loadConfig(options);
  if (!config) {
    state.setReload(false, clock.now());  // before the log line: scripts watch the log
    log::error("reload failed: keeping the running configuration");
    notifyReady();
    return false;
  }
  auto applied = std::make_shared<const config::Config>(std::move(*config));
  monitor.requestReload(
      applied, [&options, &state, &clock, &api_token, &dispatcher, web, applied](const Status& st) {
        state.setReload(static_cast<bool>(st), clock.now());
        if (st) {
          exporters::loadTokenLogged(api_token, applied->api.token_file);
          if (web != nullptr) (void)web->reset(webConfigLoader(*applied, options.web_config_file));
          dispatcher.configure(applied->notifiers);  // secrets re-read by the dispatcher
          log::info("configuration reloaded");
        } else {
          log::error("reload failed, keeping the running configuration: " + st.error().describe());
        }
        notifyReady();
      });
  return true;
}

// The state directory and the database in it; null (and logged) when either cannot be had.
std::unique_ptr<storage::StateStore> openStateStore(const config::Config& config) {
  if (Status st = prepareStateDir(config.state_dir); !st) {
    log::error(st.error().describe());
    return nullptr;
  }
  auto store = storage::StateStore::open(config.databasePath());
  if (!store) {
    log::error("cannot open the database: " + store.error().describe());
    return nullptr;
  }
  return std::move(*store);
}

// Binds and starts the listener, and says where it listens; false (and logged) when it cannot.
bool startListener(exporters::HttpServer& http, const config::Config& config) {
  Result<int> port = http.bind();
  if (!port) {
    log::error("cannot listen: " + port.error().describe());
    return false;
  }
  if (Status st = http.start(); !st) {
    log::error("cannot serve HTTP: " + st.error().describe());
    return false;
  }
  log::notice("certvigil " + std::string(kVersion) + " listening on port " + std::to_string(*port) +
              " (" + config.listen + "), database " + config.databasePath().string());
  return true;
}

// The JSON API on the listener: reads through its own read-only connection; POSTs go to the
// monitor (scan) and to reload().
void addApiRoutes(exporters::HttpServer& http, const exporters::ApiContext& context) {
  for (exporters::HttpRoute& route : exporters::apiRoutes(context)) http.addRoute(std::move(route));
}

}  // namespace

// One function on purpose (about 65 lines): the start-up is a sequence whose objects (store,
// monitor, dispatcher, listener, signal watcher) must all live on this frame until the monitor
// returns, and each step refers to those before it. Fallible steps with their logging are
// helpers above.
int runDaemon(const RunOptions& options) {
  log::setThreshold(options.log_level);
  tuneMalloc();    // before any thread starts: arenas are per thread
  blockSignals();  // before any thread starts, so all inherit the mask
  SystemClock clock;
  std::optional<config::Config> loaded = loadConfig(options);
  if (!loaded) {
    log::error("invalid configuration " + options.config.string() + ": not starting");
    return kExitConfig;
  }
  // A config of 2,000 endpoints is ~0.7 MB: moved, not copied, and let go once applied.
  auto config = std::make_shared<const config::Config>(std::move(*loaded));
  loaded.reset();
  auto store = openStateStore(*config);
  if (!store) return 1;
  // Sweeps on one event loop, this thread's: tuneMalloc() caps glibc at two arenas, so a second
  // probing thread would share an arena, and its lock, with this one (a probe allocates ~4,500
  // blocks, most in OpenSSL). Measured at 2,000 endpoints (bench/README.md, "Daemon memory"):
  // 1.59-1.70 CPU-s a sweep instead of 1.81-2.22, and a little less memory; a sweep takes
  // longer (~1.6 s instead of ~1.2 s), which no one waits on.
  constexpr int kProbeLoops = 1;
  scheduler::Monitor monitor(store.get(), clock, kProbeLoops);
  if (Status st = monitor.configure(config); !st) {
    log::error("cannot apply the configuration: " + st.error().describe());
    return kExitConfig;
  }
  // The monitor's copy, without the endpoint entries its units now hold: the loaded one goes.
  config = monitor.currentConfig();
  // Alert delivery beside the scheduler, on its own connection (the database is migrated now).
  alerts::Dispatcher dispatcher(config->databasePath(), clock, options.alert_delivery);
  dispatcher.configure(config->notifiers);
  if (Status st = dispatcher.start(); !st) {
    log::error("cannot start alert delivery: " + st.error().describe());
    return 1;
  }
  monitor.setRecordedHook([&dispatcher] { dispatcher.wake(); });  // events reach receivers now
  DaemonState state(monitor);
  state.setReload(true, clock.now());
  const alerts::StatusWithNotifiers status_view(state, dispatcher, clock);
  exporters::HttpServerOptions http_options;
  http_options.listen = config->listen;
  http_options.web_config = webConfigLoader(*config, options.web_config_file);
  exporters::BearerToken api_token;  // before http: its workers read these until it stops
  exporters::loadTokenLogged(api_token, config->api.token_file);
  auto history = storage::HistoryReader::open(config->databasePath());
  if (!history) {
    log::error("cannot open the database for the API: " + history.error().describe());
    return 1;
  }
  exporters::WebConfigSource* web_config = nullptr;  // the listener's, once it exists
  const exporters::ApiActions api_actions{
      [&monitor] { monitor.requestScanAll(); },
      [&]() -> Status {
        if (reload(options, monitor, state, clock, api_token, dispatcher, web_config)) return Ok{};
        return makeError(ErrorCode::Config, "configuration refused");
      }};
  exporters::HttpServer http(http_options, monitor, status_view);
  web_config = &http.webConfig();
  state.setWebConfig(web_config);
  addApiRoutes(http, {**history, monitor, status_view, api_token, clock, api_actions});
  scheduler::ProbeService probes([&monitor] { return monitor.currentConfig(); },
                                 [&monitor](std::string_view address, std::string_view servername) {
                                   return monitor.configuredEndpoint(address, servername);
                                 },
                                 clock);
  http.addRoute(probeRoute(probes));
  if (!startListener(http, *config)) return 1;

  SignalWatcher signals(
      [&] { reload(options, monitor, state, clock, api_token, dispatcher, web_config); },
      [&] {
        log::notice("stopping");
        notifyStopping();
        monitor.requestStop();
      });
  state.setServing();
  notifyReady();
  monitor.run([] { notifyWatchdog(); });
  http.stop();
  dispatcher.stop();
  log::notice("stopped");
  return 0;
}

}  // namespace certvigil::daemon
