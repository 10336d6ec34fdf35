import HostProtocol
import HostService

/// `crm-whatsapp-host doctor`: checks the installation and says how to fix what is wrong.
///
/// Checks the binary, the host manifest of every browser on this platform (docs/native-messaging.md §1.2),
/// the data directory, the log directory and the settings file. Exit status 0 when nothing failed, 1 otherwise.
struct Doctor {
    /// Prints the report; returns the exit status.
    func run() -> Int32 {
        var report = DoctorReport()
        let environment = ProcessEnvironment.current()
        let executable = FileSystem.currentExecutable()
        if let executable, FileSystem.isExecutable(executable) {
            report.ok("binary: \(executable)")
        } else {
            report.fail("cannot locate this executable", fix: "reinstall crm-whatsapp-host")
        }
        checkManifests(&report, executable: executable, environment: environment)
        checkDirectories(&report, environment: environment)
        print(report.lines.joined(separator: "\n"))
        print(report.failures == 0 ? "doctor: everything looks fine" : "doctor: \(report.failures) problem(s) found")
        return report.failures > 0 ? 1 : 0
    }

    private func checkManifests(_ report: inout DoctorReport, executable: String?, environment: [String: String]) {
        guard let home = HostPaths.absolute(environment["HOME"]) else {
            report.fail("HOME is not set", fix: "run doctor as the browser's user")
            return
        }
        let locations = ManifestLocation.all(
            platform: .current, home: home, configHome: HostPaths.absolute(environment["XDG_CONFIG_HOME"]))
        var usable = 0
        for location in locations {
            let scope = location.isSystem ? "system" : "user"
            let label = "\(location.browser) (\(scope))"
            guard FileSystem.exists(location.manifestPath) else {
                report.info("\(label): no manifest at \(location.manifestPath)")
                continue
            }
            guard let bytes = FileSystem.readFile(location.manifestPath, limit: NativeHostManifest.maximumFileLength),
                let manifest = NativeHostManifest.decode(bytes)
            else {
                report.fail("\(label): \(location.manifestPath): \(NativeHostManifest.Problem.notJSON.explanation)",
                    fix: "reinstall the host manifest (install-host.sh install)")
                continue
            }
            var problems = manifest.problems(firefox: location.isFirefox).map { (problem: NativeHostManifest.Problem) in problem.explanation }
            if let path = manifest.path, path.hasPrefix("/") {
                if !FileSystem.isExecutable(path) {
                    problems.append("\"path\" \(path) is not an executable file")
                } else if let executable, path != executable {
                    report.warn("\(label): manifest points at \(path), not at this binary (\(executable))")
                }
            }
            if problems.isEmpty {
                usable += 1
                report.ok("\(label): \(location.manifestPath)")
            } else {
                for problem in problems {
                    report.fail("\(label): \(location.manifestPath): \(problem)",
                        fix: "reinstall the host manifest (install-host.sh install)")
                }
            }
        }
        if usable == 0 {
            report.fail("no browser has a usable manifest for \(HostProtocolVersion.nativeHostName)",
                fix: "install it: install-host.sh install --browser all")
        }
    }

    private func checkDirectories(_ report: inout DoctorReport, environment: [String: String]) {
        guard let paths = HostPaths.resolve(environment: environment) else {
            report.fail("cannot resolve the data directory", fix: "set HOME or \(HostPaths.dataDirectoryVariable)")
            return
        }
        check(&report, "store", paths.dataDirectory)
        let settingsPath = paths.settingsFile
        do {
            let settings = try HostSettings.load(paths: paths, environment: environment)
            let server = settings.serverURL.map { "server \($0)" } ?? "the default WhatsApp server"
            report.ok("settings: \(FileSystem.exists(settingsPath) ? settingsPath : "none (defaults)"), \(server)")
        } catch {
            report.fail("settings: \(error)", fix: "correct or remove \(settingsPath) (and the CRM_WHATSAPP_* overrides)")
        }
        check(&report, "logs", paths.logDirectory)
        let log = paths.logFile
        if FileSystem.exists(log) { report.ok("log file: \(log)") } else { report.info("no log file yet at \(log)") }
    }

    private func check(_ report: inout DoctorReport, _ what: String, _ directory: String) {
        guard let mode = FileSystem.mode(directory) else {
            report.info("\(what): \(directory) does not exist yet (the host creates it on first start)")
            return
        }
        guard FileSystem.isDirectory(directory) else {
            report.fail("\(what): \(directory) is not a directory", fix: "move it away; the host recreates it")
            return
        }
        guard FileSystem.isWritable(directory) else {
            report.fail("\(what): \(directory) is not writable", fix: "chown it to this user: chown -R $USER \(directory)")
            return
        }
        let permissions = FileSystem.octalPermissions(mode)
        if permissions == "700" {
            report.ok("\(what): \(directory) (mode 700)")
        } else {
            report.warn("\(what): \(directory) has mode \(permissions), expected 700 (fix: chmod 700 \(directory))")
        }
    }
}

/// The lines `doctor` prints and how many of them are failures.
struct DoctorReport {
    var lines: [String] = []
    var failures = 0

    mutating func ok(_ text: String) { lines.append("ok    \(text)") }
    mutating func info(_ text: String) { lines.append("--    \(text)") }
    mutating func warn(_ text: String) { lines.append("warn  \(text)") }

    mutating func fail(_ text: String, fix: String) {
        failures += 1
        lines.append("FAIL  \(text)\n      fix: \(fix)")
    }
}
