<#
.SYNOPSIS
Build Concord's Windows installer: virtualenv, PyInstaller bundle, self-test, Inno Setup.

.DESCRIPTION
Run in a clone of the repository on 64-bit Windows 10 (1809+) or 11, with
  - Python 3.11 or newer, 64-bit (python.org installer, which adds the py launcher)
  - Inno Setup 6.3 or newer (https://jrsoftware.org/isinfo.php); iscc.exe on PATH or in
    its default folder

    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1

Steps; any failure stops the build:
  1. python -m venv .venv                                 (once; -Recreate starts afresh)
  2. pip install -c constraints.txt -e .[db] pyinstaller  (PyInstaller pinned below)
  3. packaging\render_icons.py --ico ...                  only if concord.ico is missing
  4. pyinstaller --noconfirm build.spec                   -> dist\concord
  5. dist\concord\concord.exe --version                   must match pyproject.toml
     dist\concord\concord.exe self-test                   every check must pass (offscreen)
  6. iscc /DAppVersion=... packaging\windows\concord.iss  -> dist\concord-<version>-setup.exe

.PARAMETER Python
The interpreter that creates the virtualenv (default: py -3.11, else py -3, else python).

.PARAMETER Recreate
Delete .venv and build it again (after changing constraints.txt).

.PARAMETER SkipInstaller
Stop after the self-test (no Inno Setup needed).
#>
param(
    [string]$Python = "",
    [switch]$Recreate,
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root
$PyInstallerPin = "pyinstaller==6.22.3"
$Venv = Join-Path $Root ".venv"
$VenvPy = Join-Path $Venv "Scripts\python.exe"
$Bundle = Join-Path $Root "dist\concord"

# Run a program; stop the build when it exits non-zero (PowerShell 5.1 would not).
# A plain function on purpose: $args keeps options such as -m for the program.
function Invoke-Native {
    $exe = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    & $exe @rest
    if ($LASTEXITCODE -ne 0) {
        throw "failed with exit code ${LASTEXITCODE}: $exe $($rest -join ' ')"
    }
}

function Step([string]$Text) { Write-Host "== $Text" -ForegroundColor Cyan }

# --- 1. virtualenv -------------------------------------------------------------------
if ($Recreate -and (Test-Path $Venv)) { Remove-Item -Recurse -Force $Venv }
if (-not (Test-Path $VenvPy)) {
    if (-not $Python) {
        $Python = "python"
        if (Get-Command py -ErrorAction SilentlyContinue) {
            foreach ($wanted in "-3.11", "-3") {  # the CI's Python first, else the newest
                # (stderr redirected under "Stop" throws in Windows PowerShell 5.1: catch it)
                try { $found = & py $wanted -c "import sys; print(sys.executable)" 2>$null } catch { $found = $null }
                if ($LASTEXITCODE -eq 0 -and $found) { $Python = "$found".Trim(); break }
            }
        }
    }
    Step "creating .venv with $Python"
    Invoke-Native $Python -m venv $Venv
}

# --- 2. dependencies and PyInstaller ------------------------------------------------
Step "installing Concord and PyInstaller into .venv"
Invoke-Native $VenvPy -m pip install --quiet --upgrade pip
$pin = $PyInstallerPin
if (Select-String -Path constraints.txt -Pattern '^pyinstaller==' -Quiet) { $pin = "pyinstaller" }
Invoke-Native $VenvPy -m pip install --quiet -c constraints.txt -e ".[db]" $pin

$Version = (& $VenvPy -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
$parts = @(([regex]::Matches($Version, '\d+') | Select-Object -First 4 | ForEach-Object { $_.Value }))
while ($parts.Count -lt 4) { $parts += "0" }
$Numeric = $parts -join "."
Step "Concord $Version ($Numeric)"

# --- 3. icon -------------------------------------------------------------------------
$Icon = Join-Path $PSScriptRoot "concord.ico"
if (-not (Test-Path $Icon)) {
    Step "rendering concord.ico from resources\icons\concord.svg"
    $env:QT_QPA_PLATFORM = "offscreen"
    Invoke-Native $VenvPy packaging\render_icons.py --ico $Icon
    Remove-Item Env:QT_QPA_PLATFORM
}

# --- 4. bundle -----------------------------------------------------------------------
Step "pyinstaller --noconfirm build.spec"
Invoke-Native $VenvPy -m PyInstaller --noconfirm --log-level WARN build.spec

# --- 5. the bundle runs --------------------------------------------------------------
Step "checking the bundle"
$Exe = Join-Path $Bundle "concord.exe"
$reported = (& $Exe --version | Out-String).Trim()
if ($LASTEXITCODE -ne 0 -or $reported -ne "concord $Version") {
    throw "the bundle says '$reported', pyproject.toml says $Version"
}
Write-Host $reported
$env:QT_QPA_PLATFORM = "offscreen"
try {
    Invoke-Native $Exe self-test
    Invoke-Native $Exe self-test --startup-benchmark
} finally {
    Remove-Item Env:QT_QPA_PLATFORM
}
$size = (Get-ChildItem $Bundle -Recurse -File | Measure-Object -Property Length -Sum).Sum
Write-Host ("bundle: {0:N0} MB in {1}" -f ($size / 1MB), $Bundle)

if ($SkipInstaller) { return }

# --- 6. installer --------------------------------------------------------------------
$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source)
if (-not $Iscc) {
    $Iscc = @(
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    ) | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) not found: install it or put iscc.exe on PATH" }
Step "iscc concord.iss"
Invoke-Native $Iscc /Q "/DAppVersion=$Version" "/DAppVersionNumeric=$Numeric" "/DBundleDir=$Bundle" (Join-Path $PSScriptRoot "concord.iss")
$Setup = Join-Path $Root "dist\concord-$Version-setup.exe"
Write-Host ("installer: {0} ({1:N0} MB)" -f $Setup, ((Get-Item $Setup).Length / 1MB))
