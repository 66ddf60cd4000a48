; Concord installer for Windows (Inno Setup 6.3 or newer), around the one-folder bundle
; that build.spec makes on Windows (dist\concord: concord.exe, concordw.exe, _internal\).
;
; Built by packaging\windows\build.ps1, which runs:
;   iscc /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 /DBundleDir=<repo>\dist\concord concord.iss
; Output: dist\concord-<version>-setup.exe
;
; Unattended install for IT (all users, Program Files):
;   concord-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP- [/TASKS="desktopicon"] [/LANG=chinesesimplified]
; Per-user install without admin rights: add /CURRENTUSER.
; Unattended removal: "C:\Program Files\Concord\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z concord.iss (build.ps1 does)
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\concord"
#endif
#if !FileExists(AddBackslash(BundleDir) + "concordw.exe")
  #error No concordw.exe in BundleDir: build the bundle first (pyinstaller --noconfirm build.spec)
#endif

; Simplified Chinese: official in newer Inno Setup releases (compiler:Languages), otherwise
; the translation from https://jrsoftware.org/files/istrans/ saved beside this script as
; ChineseSimplified.isl. Without either, the installer speaks English only.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found: building an English-only installer (see docs/packaging.md)"
#endif

#define AppName "Concord"
#define AppExe "concordw.exe"

[Setup]
; The AppId identifies Concord to upgrades and the uninstaller: never change it.
AppId={{BF2BC7C2-4069-412B-8A8B-FB99798812EE}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Concord
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installer
DefaultDirName={autopf}\Concord
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 1809 and newer
MinVersion=10.0.17763
SetupIconFile=concord.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#SourcePath}..\..\dist
OutputBaseFilename=concord-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; Upgrades close a running Concord first (Restart Manager) rather than failing on locked files
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#ifdef ChineseMessages
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no module of an older version may linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Reconcile ERP, CRM and OA exports"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Workspaces, settings and the demo copy live in the user's profile (%APPDATA%,
; %LOCALAPPDATA%) and stay when Concord is uninstalled.
