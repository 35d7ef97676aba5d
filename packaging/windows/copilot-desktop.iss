; Copilot Desktop for Windows: the installer, an Inno Setup 6 script. A per-user install, no admin rights.
;
;   iscc /DAppVersion=0.1.0 packaging\windows\copilot-desktop.iss
;
; Build the one-folder bundle first (python -m PyInstaller packaging/copilot-desktop.spec --noconfirm,
; which writes dist\copilot-desktop\). Writes dist\copilot-desktop-<version>-windows-x64-setup.exe.
; It installs into %LOCALAPPDATA%\Programs\Copilot Desktop with a Start menu shortcut, an optional
; desktop shortcut and an uninstaller (Settings > Apps). Conversations and settings live elsewhere
; (%LOCALAPPDATA%\copilot-desktop) and survive uninstalling and upgrading.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z packaging\windows\copilot-desktop.iss
#endif
#define AppName "Copilot Desktop"
#define AppExe "copilot-desktop.exe"
; Identifies the app to Windows across versions, so an upgrade replaces the old install: never change it.
#define AppGuid "{{E0D9D978-8FDE-478D-A4FF-837ACC13CEB8}"

[Setup]
AppId={#AppGuid}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
; Paths below are relative to the repository root.
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=copilot-desktop-{#AppVersion}-windows-x64-setup
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=resources\icons\copilot-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2
SolidCompression=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade must not keep the previous version's libraries beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\copilot-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
