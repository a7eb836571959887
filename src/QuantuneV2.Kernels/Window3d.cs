namespace QuantuneV2.Kernels;

/// <summary>
/// Conv/pool geometry with concrete sizes, normalised to three spatial dims (missing leading dims
/// have size 1, kernel 1, stride 1, no pads) so that 1-D, 2-D and 3-D ops share one loop nest.
/// </summary>
public sealed class Window3d
{
    public readonly int[] In = new int[3], Out = new int[3], K = new int[3], S = new int[3], D = new int[3], PadBegin = new int[3], PadEnd = new int[3];

    /// <param name="kernel">Per spatial axis (1 to 3 of them), as are <paramref name="strides"/>, <paramref name="dilations"/> and <paramref name="pads"/>.</param>
    /// <param name="inDims">N, C and the spatial dims of the input; <paramref name="outDims"/> of the output.</param>
    public Window3d(int[] kernel, int[] strides, int[] dilations, (int Begin, int End)[] pads, int[] inDims, int[] outDims)
    {
        int r = kernel.Length, shift = 3 - r;
        for (int k = 0; k < 3; k++) { In[k] = Out[k] = K[k] = S[k] = D[k] = 1; }
        for (int k = 0; k < r; k++)
        {
            In[k + shift] = inDims[k + 2];
            Out[k + shift] = outDims[k + 2];
            K[k + shift] = kernel[k];
            S[k + shift] = strides[k];
            D[k + shift] = dilations[k];
            (PadBegin[k + shift], PadEnd[k + shift]) = pads[k];
        }
    }

    public int InPlane => In[0] * In[1] * In[2];
    public int OutPlane => Out[0] * Out[1] * Out[2];
    public int KernelVolume => K[0] * K[1] * K[2];

    /// <summary>Taps k along axis a that read inside the input for output position o: [first, last).</summary>
    public (int First, int Last) ValidTaps(int a, int o)
    {
        int start = o * S[a] - PadBegin[a];
        // start + k*D in [0, In)  ⇔  k ≥ ceil(−start/D) and k < ceil((In − start)/D)
        int first = start >= 0 ? 0 : (-start + D[a] - 1) / D[a];
        int last = In[a] - start <= 0 ? 0 : (In[a] - start + D[a] - 1) / D[a];
        return (Math.Min(first, K[a]), Math.Min(last, K[a]));
    }

    /// <summary>
    /// AveragePool's divisor with count_include_pad for the window at (z, y, x): its taps inside input + pads;
    /// taps past the end padding (ceil mode) never count, as ONNX Runtime does.
    /// </summary>
    public int PaddedTaps(int z, int y, int x) => PaddedTaps(0, z) * PaddedTaps(1, y) * PaddedTaps(2, x);

    private int PaddedTaps(int a, int o)
    {
        int start = o * S[a] - PadBegin[a];
        int n = 0;
        for (int k = 0; k < K[a]; k++)
        {
            int i = start + k * D[a];
            if (i >= -PadBegin[a] && i < In[a] + PadEnd[a]) n++;
        }
        return n;
    }

    /// <summary>Output positions o along axis a whose tap k reads inside the input: [first, last).</summary>
    public (int First, int Last) ValidOutputs(int a, int k)
    {
        int offset = k * D[a] - PadBegin[a];
        // o*S + offset in [0, In)  ⇔  o ≥ ceil(−offset/S) and o ≤ floor((In−1−offset)/S)
        int first = offset >= 0 ? 0 : (-offset + S[a] - 1) / S[a];
        int lastIncl = In[a] - 1 - offset < 0 ? -1 : (In[a] - 1 - offset) / S[a];
        return (Math.Min(first, Out[a]), Math.Clamp(lastIncl + 1, 0, Out[a]));
    }
}
