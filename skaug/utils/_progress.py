"""Progress reporting shared by the skaug estimators.

Verbosity levels, the same in every skaug estimator: 0 is silent; 1 shows tqdm
progress bars (one per network fit, one per generation loop); 2 also prints
skorch's per-epoch table.
"""

from skorch.callbacks import Callback
from tqdm.auto import tqdm


class EpochProgressBar(Callback):
    """A skorch callback: one tqdm bar over the epochs of a fit.

    Parameters
    ----------
    desc : str, default="training"
        Label shown before the bar.
    """

    def __init__(self, desc="training"):
        self.desc = desc

    def on_train_begin(self, net, **kwargs):
        self.bar_ = tqdm(total=net.max_epochs, desc=self.desc, leave=False)

    def on_epoch_end(self, net, **kwargs):
        loss = net.history[-1].get("train_loss")
        if loss is not None:
            self.bar_.set_postfix(loss=f"{loss:.4g}", refresh=False)
        self.bar_.update(1)

    def on_train_end(self, net, **kwargs):
        self.bar_.close()

    def __getstate__(self):
        # the bar holds a stream; it is only alive during a fit
        state = dict(self.__dict__)
        state.pop("bar_", None)
        return state


def configure_net_verbosity(net, verbose, desc):
    """Set a skorch net's output for the estimator-level ``verbose``.

    0: silent; 1: an :class:`EpochProgressBar`; 2: skorch's epoch table.
    Only ``net`` is changed (the caller passes its own clone).
    """
    params = net.get_params(deep=False)
    if "verbose" in params:
        net.set_params(verbose=int(verbose >= 2))
    if verbose == 1 and "callbacks" in params:
        callbacks = list(params["callbacks"] or [])
        callbacks.append(("skaug_progress", EpochProgressBar(desc)))
        net.set_params(callbacks=callbacks)
    return net
