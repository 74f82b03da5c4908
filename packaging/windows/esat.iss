; ESAT's Windows installer: an Inno Setup 6 script (https://jrsoftware.org/isinfo.php).
;
; A SKETCH, NOT TESTED: nothing here has been compiled or run by CI or by the ESAT
; developers, who build on Linux. It shows what the installer has to do that the
; PyInstaller build cannot: put the folder in Program Files, add a Start menu entry,
; and register the .esat file type so that a double-click opens the file in ESAT
; with ESAT's icon. Review it on Windows before handing anything out.
;
; Build the program first (on Windows, in the checkout):
;     py -3.11 -m venv .venv && .venv\Scripts\pip install -e .[package]
;     .venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\esat.spec
; then compile this script with the version of esat/__init__.py:
;     iscc /DAppVersion=0.1.0 packaging\windows\esat.iss       -> dist\esat-0.1.0-setup.exe
; and check the installed program: "C:\Program Files\ESAT\esat-cli.exe" --self-test

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\esat.iss
#endif

[Setup]
; a fixed id: an upgrade replaces the earlier version instead of installing beside it
AppId={{6E3B1C52-4F0A-4C8E-9B7D-2D5E8A1F0C44}
AppName=ESAT
AppVersion={#AppVersion}
AppVerName=ESAT {#AppVersion}
AppPublisher=ESAT
DefaultDirName={autopf}\ESAT
DefaultGroupName=ESAT
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=esat-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\esat.ico
UninstallDisplayIcon={app}\esat.exe
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; per machine when run as an administrator (IT's usual way), else for the one user
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ChangesAssociations=yes
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "..\..\dist\esat\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\ESAT"; Filename: "{app}\esat.exe"

[Registry]
; .esat -> ESAT.Assessment: described, shown with ESAT's icon, opened by `esat gui FILE`.
; HKA is HKLM\Software\Classes for a per-machine install, HKCU's for a per-user one.
Root: HKA; Subkey: "Software\Classes\.esat"; ValueType: string; ValueName: ""; ValueData: "ESAT.Assessment"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.esat\OpenWithProgids"; ValueType: string; ValueName: "ESAT.Assessment"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\ESAT.Assessment"; ValueType: string; ValueName: ""; ValueData: "ESAT assessment"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\ESAT.Assessment\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\esat.exe,0"
Root: HKA; Subkey: "Software\Classes\ESAT.Assessment\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\esat.exe"" gui ""%1"""
