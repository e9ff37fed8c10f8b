"""d2l's softmax regression, MLP and dropout chapters in its style, on synthetic data of
Fashion-MNIST's shapes (1x28x28 images, 10 classes): run on minigrad through ``as_torch()``
and on torch from the same numpy-drawn data and weights; accuracies, losses, parameters and
printed lines agree (float32 tolerance, see d2l_check)."""

from __future__ import annotations

import numpy as np
from d2l_check import run_both


def fashion_like(seed, n_train=60, n_test=40):
    """Images whose class shows in their pixels (so a model can learn), and initial weights."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((10, 784))
    def draw(n):
        y = rng.integers(0, 10, n)
        X = 0.5 * centers[y] + rng.standard_normal((n, 784))
        return X.reshape(n, 1, 28, 28), y
    X_train, y_train = draw(n_train)
    X_test, y_test = draw(n_test)
    return {"train": (X_train, y_train), "test": (X_test, y_test), "rng": rng}


def chapter_tools():
    """What d2l's chapter 3 defines once and reuses: accuracy, the evaluation and training
    loops (they take ``torch`` from the import inside, so they run on either library)."""
    import torch

    class Accumulator:
        def __init__(self, n):
            self.data = [0.0] * n

        def add(self, *args):
            self.data = [a + float(b) for a, b in zip(self.data, args)]

        def __getitem__(self, idx):
            return self.data[idx]

    def accuracy(y_hat, y):
        if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
            y_hat = y_hat.argmax(axis=1)
        cmp = y_hat.type(y.dtype) == y
        return float(cmp.type(y.dtype).sum())

    def evaluate_accuracy(net, data_iter):
        if isinstance(net, torch.nn.Module):
            net.eval()
        metric = Accumulator(2)
        with torch.no_grad():
            for X, y in data_iter:
                metric.add(accuracy(net(X), y), y.numel())
        return metric[0] / metric[1]

    def train_epoch(net, train_iter, loss, updater):
        if isinstance(net, torch.nn.Module):
            net.train()
        metric = Accumulator(3)
        for X, y in train_iter:
            y_hat = net(X)
            l = loss(y_hat, y)
            if isinstance(updater, torch.optim.Optimizer):
                updater.zero_grad()
                l.mean().backward()
                updater.step()
            else:
                l.sum().backward()
                updater(X.shape[0])
            metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
        return metric[0] / metric[2], metric[1] / metric[2]

    def train(net, train_iter, test_iter, loss, num_epochs, updater):
        for epoch in range(num_epochs):
            train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
            test_acc = evaluate_accuracy(net, test_iter)
            print(f"epoch {epoch + 1}: loss {train_loss:.4f}, train acc {train_acc:.3f}, "
                  f"test acc {test_acc:.3f}")
        return train_loss, train_acc, test_acc

    return accuracy, evaluate_accuracy, train


def loaders(data, batch_size):
    import torch
    from torch.utils import data as tdata

    def load(split):
        X, y = data[split]
        dataset = tdata.TensorDataset(torch.tensor(X, dtype=torch.float32), torch.tensor(y))
        return tdata.DataLoader(dataset, batch_size, shuffle=False)

    return load("train"), load("test")


def softmax_regression_scratch(data, W0):
    import torch

    train_iter, test_iter = loaders(data, 20)
    accuracy, evaluate_accuracy, train = chapter_tools()
    W = torch.tensor(W0, dtype=torch.float32, requires_grad=True)  # normal(0, 0.01) by numpy
    b = torch.zeros(10, requires_grad=True)

    def softmax(X):
        X_exp = torch.exp(X)
        partition = X_exp.sum(1, keepdim=True)
        return X_exp / partition

    def net(X):
        return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y])

    y = torch.tensor([0, 2])
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    print(y_hat[[0, 1], y], cross_entropy(y_hat, y), accuracy(y_hat, y) / len(y))
    print(evaluate_accuracy(net, test_iter))

    def updater(batch_size):
        with torch.no_grad():
            for param in (W, b):
                param -= 0.1 * param.grad / batch_size
                param.grad.zero_()

    result = train(net, train_iter, test_iter, cross_entropy, 3, updater)
    return {"W": W, "b": b, "result": list(result)}


def test_softmax_regression_from_scratch_matches_torch():
    data = fashion_like(0)
    W0 = 0.01 * data["rng"].standard_normal((784, 10))
    want, _ = run_both(softmax_regression_scratch, data, W0)
    assert want["result"][1] > 0.5  # it learns the synthetic classes


def mlp_scratch(data, init):
    import torch
    from torch import nn

    train_iter, test_iter = loaders(data, 20)
    _, _, train = chapter_tools()
    W1 = nn.Parameter(torch.tensor(init[0], dtype=torch.float32) * 0.01)
    b1 = nn.Parameter(torch.zeros(32, requires_grad=True))
    W2 = nn.Parameter(torch.tensor(init[1], dtype=torch.float32) * 0.01)
    b2 = nn.Parameter(torch.zeros(10, requires_grad=True))
    params = [W1, b1, W2, b2]

    def relu(X):
        a = torch.zeros_like(X)
        return torch.max(X, a)

    def net(X):
        X = X.reshape((-1, 784))
        H = relu(X @ W1 + b1)
        return H @ W2 + b2

    loss = nn.CrossEntropyLoss(reduction="none")
    updater = torch.optim.SGD(params, lr=0.5)
    result = train(net, train_iter, test_iter, loss, 3, updater)
    return {"params": params, "result": list(result)}


def test_mlp_from_scratch_matches_torch():
    data = fashion_like(1)
    init = [data["rng"].standard_normal((784, 32)), data["rng"].standard_normal((32, 10))]
    want, _ = run_both(mlp_scratch, data, init)
    assert want["result"][1] > 0.5


def dropout_scratch(data, init, masks):
    """The chapter's dropout_layer, with its masks' random numbers drawn by numpy (``masks``)
    instead of ``torch.rand``, so that both libraries drop the same units."""
    import torch
    from torch import nn

    train_iter, test_iter = loaders(data, 20)
    _, evaluate_accuracy, train = chapter_tools()
    draws = iter(masks)

    def dropout_layer(X, dropout):
        assert 0 <= dropout <= 1
        if dropout == 1:
            return torch.zeros_like(X)
        mask = (torch.tensor(next(draws), dtype=torch.float32) > dropout).float()
        return mask * X / (1.0 - dropout)

    class Net(nn.Module):
        def __init__(self, num_inputs, num_outputs, num_hiddens, is_training=True):
            super().__init__()
            self.num_inputs = num_inputs
            self.training = is_training
            self.lin1 = nn.Linear(num_inputs, num_hiddens)
            self.lin2 = nn.Linear(num_hiddens, num_outputs)
            self.relu = nn.ReLU()

        def forward(self, X):
            H = self.relu(self.lin1(X.reshape((-1, self.num_inputs))))
            if self.training:
                H = dropout_layer(H, 0.5)
            return self.lin2(H)

    net = Net(784, 10, 32)
    with torch.no_grad():
        for p, w in zip(net.parameters(), init):
            p.copy_(torch.tensor(w))
    X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
    print(dropout_layer(X, 0.0), dropout_layer(X, 1.0))
    loss = nn.CrossEntropyLoss(reduction="none")
    trainer = torch.optim.SGD(net.parameters(), lr=0.5)
    result = train(net, train_iter, test_iter, loss, 2, trainer)
    print("training flag after evaluation:", net.training, net.lin1.training)
    return {"params": list(net.parameters()), "result": list(result)}


def test_dropout_from_scratch_matches_torch():
    data = fashion_like(2)
    rng = data["rng"]
    init = [rng.uniform(-0.03, 0.03, s) for s in [(32, 784), (32,), (10, 32), (10,)]]
    masks = [rng.random((20, 32)) for _ in range(7)]  # one per training batch, and X above
    masks.insert(0, rng.random((2, 8)))
    want, lines = run_both(dropout_scratch, data, init, masks)
    assert lines[-1] == "training flag after evaluation: False False"


def dropout_concise(data, init, p):
    import torch
    from torch import nn

    train_iter, test_iter = loaders(data, 20)
    _, evaluate_accuracy, train = chapter_tools()
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Dropout(p),
                        nn.Linear(32, 10))

    def init_weights(m):
        if type(m) == nn.Linear:  # noqa: E721 - the chapter's test
            nn.init.normal_(m.weight, std=0.01)  # (random: overwritten below for comparison)
            nn.init.zeros_(m.bias)

    net.apply(init_weights)
    with torch.no_grad():
        net[1].weight.copy_(torch.tensor(init[0]))
        net[4].weight.copy_(torch.tensor(init[1]))
    net.eval()
    X = next(iter(test_iter))[0]
    evaluated = net(X)
    print(f"test acc before training {evaluate_accuracy(net, test_iter):.3f}")
    net.train()
    trained_mode = net(X)  # dropout on: some hidden units are zeroed
    print(net[3].training, (trained_mode == evaluated).all().item() if p else None)
    loss = nn.CrossEntropyLoss(reduction="none")
    trainer = torch.optim.SGD(net.parameters(), lr=0.5)
    result = train(net, train_iter, test_iter, loss, 2, trainer) if p == 0 else None
    return {"evaluated": evaluated, "result": result,
            "params": list(net.parameters()) if p == 0 else None}


def test_dropout_concise_matches_torch():
    """Dropout draws its masks from each library's own generator, so training with p > 0
    cannot be compared number for number: the evaluation (dropout off after ``eval()``) is
    compared with p = 0.5, and the training loop with p = 0."""
    data = fashion_like(3)
    rng = data["rng"]
    init = [rng.uniform(-0.03, 0.03, (32, 784)), rng.uniform(-0.2, 0.2, (10, 32))]
    want, lines = run_both(dropout_concise, data, init, 0.5)
    assert lines[1] == "True False"  # training mode: dropout changed the output
    want, _ = run_both(dropout_concise, data, init, 0.0)
    assert want["result"][1] > 0.5
