"""The neural (skorch) and statistical models that skaug builds on."""
